/**
 * A trained boosted ensemble in exactly the form exported to ONNX: thresholds and leaf values are float32 values,
 * node ids are preorder indices within each tree (root = 0).
 */
export interface TreeNode {
  /** -1 for a leaf. */
  readonly feature: number;
  /** Split rule "x <= threshold goes left" (float32); 0 for a leaf. */
  readonly threshold: number;
  /** Node index of the true (x <= threshold) child; -1 for a leaf. */
  readonly left: number;
  readonly right: number;
  /** Leaf output (already scaled by the learning rate, float32); 0 for a branch. */
  readonly value: number;
}

export interface Tree {
  readonly nodes: readonly TreeNode[];
}

export interface TreeEnsemble {
  readonly featureNames: readonly string[];
  /** Initial raw score (log-odds, float32), added once to the sum of leaf values. */
  readonly baseScore: number;
  readonly trees: readonly Tree[];
}

export const isLeaf = (n: TreeNode): boolean => n.feature < 0;

/** The leaf value reached by the row at `values[offset…]`. */
export function treeLeafValue(tree: Tree, values: ArrayLike<number>, offset: number): number {
  let node = tree.nodes[0] as TreeNode;
  while (node.feature >= 0) {
    node = tree.nodes[(values[offset + node.feature] as number) <= node.threshold ? node.left : node.right] as TreeNode;
  }
  return node.value;
}

/**
 * Raw score (log-odds) of one row, accumulated in float32 tree by tree and base score last — the order and
 * precision onnxruntime's TreeEnsembleClassifier uses — so both agree to the last bit or very nearly.
 */
export function rawScore(model: TreeEnsemble, values: ArrayLike<number>, offset = 0): number {
  let s = 0;
  for (const tree of model.trees) s = Math.fround(s + treeLeafValue(tree, values, offset));
  return Math.fround(s + model.baseScore);
}

/** onnxruntime's ComputeLogistic, in float32. */
export function logistic32(x: number): number {
  const v = Math.fround(1 / (1 + Math.exp(-Math.abs(x))));
  return x < 0 ? Math.fround(1 - v) : v;
}

/** Fraud probabilities for `rows` rows laid out row-major in `values`. */
export function predictProbabilities(model: TreeEnsemble, values: Float32Array, rows: number): Float32Array {
  const f = model.featureNames.length;
  if (values.length !== rows * f) throw new RangeError(`Expected ${rows} × ${f} values, got ${values.length}`);
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = logistic32(rawScore(model, values, i * f));
  return out;
}
