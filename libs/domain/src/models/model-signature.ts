/** One input or output of a model as its graph declares it. Plain data: recorded in ModelVersionRegistered. */
export interface TensorSpec {
  readonly name: string;
  /** 'float32', 'int64', 'string', … for tensors; a readable type such as 'seq(map(int64,tensor(float32)))' otherwise. */
  readonly elementType: string;
  /** dim_value, the symbolic dim_param (e.g. 'N'), or null when the graph leaves the dimension unknown. */
  readonly shape: readonly (number | string | null)[];
}

export interface ModelSignature {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}
