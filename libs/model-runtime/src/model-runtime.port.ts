/**
 * The model runtime port: a loaded model that scores float32 feature rows. The engine talks only to this;
 * `OnnxModelRuntime` is the adapter.
 */

export interface ModelDescriptor {
  /** Configured identity of the model. */
  readonly name: string;
  readonly version: string;
  /** sha256 (hex) of the exact model bytes loaded into the session. */
  readonly sha256: string;
  readonly path: string;
  /** Feature names in input-column order (from the model's metadata or configuration). */
  readonly features: readonly string[];
  /** Per-feature reference values used to explain a score (substituted one at a time); same order as features. */
  readonly baseline: readonly number[];
  readonly inputName: string;
  /** Tensor outputs fetched on every run (ZipMap/sequence outputs are excluded). */
  readonly outputNames: readonly string[];
  /** Which output and column holds the positive-class score. */
  readonly scoreOutput: { readonly name: string; readonly column: number };
  readonly runtime: RuntimeDescriptor;
  /** ONNX metadata_props, verbatim. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface RuntimeDescriptor {
  readonly name: 'onnxruntime-node';
  readonly version: string;
  readonly executionProviders: readonly string[];
  readonly sessionOptions: Readonly<Record<string, unknown>>;
}

/** One output tensor, JSON-safe (int64 values become decimal strings when they exceed 2^53). */
export interface RawTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: readonly (number | string | boolean)[];
}

export interface ScoreResult {
  /** Positive-class score per input row. */
  readonly scores: Float32Array;
  /** Every fetched output of input row `row`, JSON-safe (what the auditor needs to replay that row's decision). */
  outputsOf(row: number): Readonly<Record<string, RawTensor>>;
}

export interface ModelRuntime {
  readonly descriptor: ModelDescriptor;
  /** Scores `rows` rows laid out row-major in `values` (length rows × features). */
  score(values: Float32Array, rows: number): Promise<ScoreResult>;
  close(): Promise<void>;
}
