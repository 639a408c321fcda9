import type { BinMapper } from './quantile-binning';
import type { Tree, TreeNode } from './tree-ensemble';

export interface TreeGrowthParams {
  readonly maxDepth: number;
  /** Minimum rows in each child of a split. */
  readonly minSamplesLeaf: number;
  /** Minimum hessian sum in each child of a split (XGBoost's min_child_weight). */
  readonly minHessianLeaf: number;
  /** L2 penalty on leaf values (λ). */
  readonly l2: number;
  /** A split must reduce the regularised loss by more than this. */
  readonly minSplitGain: number;
  /** Shrinkage applied to every leaf value. */
  readonly learningRate: number;
}

export interface BuiltTree {
  readonly tree: Tree;
  /** Per node: the bin index of the split ("bin <= b goes left"); -1 for leaves. */
  readonly splitBins: Int32Array;
  /** Loss reduction contributed by each feature's splits in this tree. */
  readonly gainByFeature: Float64Array;
}

interface Split {
  feature: number;
  bin: number;
  gain: number;
  leftG: number;
  leftH: number;
  leftCount: number;
}

/**
 * Grows one regression tree on gradient statistics with per-bin histograms. Each split builds the histogram of the
 * smaller child only and derives the larger one by subtraction from the parent. Every loop runs in a fixed order and
 * ties keep the first (feature, bin), so the same inputs always give the same tree.
 */
export class HistogramTreeBuilder {
  private readonly featureCount: number;
  private readonly binOffsets: Int32Array;
  private readonly binCounts: Int32Array;
  private readonly histSize: number;
  private readonly pool: Float64Array[] = [];
  private scratch = new Uint32Array(0);

  constructor(
    private readonly mapper: BinMapper,
    private readonly bins: Uint8Array,
    private readonly params: TreeGrowthParams,
  ) {
    this.featureCount = mapper.edges.length;
    this.binOffsets = new Int32Array(this.featureCount);
    this.binCounts = new Int32Array(this.featureCount);
    let offset = 0;
    for (let f = 0; f < this.featureCount; f++) {
      this.binOffsets[f] = offset;
      this.binCounts[f] = (mapper.edges[f] as Float32Array).length + 1;
      offset += this.binCounts[f] as number;
    }
    this.histSize = offset * 3;
  }

  /** Builds a tree over rows indices[0…count) (the array is reordered in place). */
  build(grad: Float64Array, hess: Float64Array, indices: Uint32Array, count: number): BuiltTree {
    if (this.scratch.length < count) this.scratch = new Uint32Array(count);
    const nodes: TreeNode[] = [];
    const splitBins: number[] = [];
    const gainByFeature = new Float64Array(this.featureCount);
    const rootHist = this.acquire();
    this.accumulate(rootHist, grad, hess, indices, 0, count);
    let g = 0;
    let h = 0;
    for (let i = 0; i < count; i++) {
      const r = indices[i] as number;
      g += grad[r] as number;
      h += hess[r] as number;
    }
    const grow = (start: number, end: number, hist: Float64Array, depth: number, sumG: number, sumH: number): number => {
      const id = nodes.length;
      nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, value: 0 });
      splitBins.push(-1);
      const split = depth < this.params.maxDepth ? this.bestSplit(hist, sumG, sumH, end - start) : null;
      if (split === null) {
        nodes[id] = { feature: -1, threshold: 0, left: -1, right: -1, value: this.leafValue(sumG, sumH) };
        this.release(hist);
        return id;
      }
      gainByFeature[split.feature] = (gainByFeature[split.feature] as number) + split.gain;
      const mid = this.partition(indices, start, end, split.feature, split.bin);
      const leftCount = mid - start;
      const rightCount = end - mid;
      // The parent's buffer becomes the larger child's histogram (parent − smaller child).
      const small = this.acquire();
      const leftIsSmall = leftCount <= rightCount;
      if (leftIsSmall) this.accumulate(small, grad, hess, indices, start, mid);
      else this.accumulate(small, grad, hess, indices, mid, end);
      for (let k = 0; k < this.histSize; k++) hist[k] = (hist[k] as number) - (small[k] as number);
      const leftHist = leftIsSmall ? small : hist;
      const rightHist = leftIsSmall ? hist : small;
      const left = grow(start, mid, leftHist, depth + 1, split.leftG, split.leftH);
      const right = grow(mid, end, rightHist, depth + 1, sumG - split.leftG, sumH - split.leftH);
      const edges = this.mapper.edges[split.feature] as Float32Array;
      nodes[id] = { feature: split.feature, threshold: edges[split.bin] as number, left, right, value: 0 };
      splitBins[id] = split.bin;
      return id;
    };
    grow(0, count, rootHist, 0, g, h);
    return { tree: { nodes }, splitBins: Int32Array.from(splitBins), gainByFeature };
  }

  private leafValue(sumG: number, sumH: number): number {
    const denom = sumH + this.params.l2;
    return denom > 0 ? Math.fround((-this.params.learningRate * sumG) / denom) : 0;
  }

  private bestSplit(hist: Float64Array, sumG: number, sumH: number, count: number): Split | null {
    const { minSamplesLeaf, minHessianLeaf, l2, minSplitGain } = this.params;
    if (count < 2 * minSamplesLeaf) return null;
    const parentScore = (sumG * sumG) / (sumH + l2);
    let best: Split | null = null;
    for (let f = 0; f < this.featureCount; f++) {
      const base = (this.binOffsets[f] as number) * 3;
      const nb = this.binCounts[f] as number;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let b = 0; b < nb - 1; b++) {
        const k = base + b * 3;
        gl += hist[k] as number;
        hl += hist[k + 1] as number;
        cl += hist[k + 2] as number;
        if (cl < minSamplesLeaf || hl < minHessianLeaf) continue;
        const cr = count - cl;
        const hr = sumH - hl;
        if (cr < minSamplesLeaf) break;
        if (hr < minHessianLeaf) continue;
        const gr = sumG - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
        if (gain > minSplitGain && (best === null || gain > best.gain)) {
          best = { feature: f, bin: b, gain, leftG: gl, leftH: hl, leftCount: cl };
        }
      }
    }
    return best;
  }

  private accumulate(hist: Float64Array, grad: Float64Array, hess: Float64Array, idx: Uint32Array, start: number, end: number): void {
    const F = this.featureCount;
    const offsets = this.binOffsets;
    const bins = this.bins;
    for (let i = start; i < end; i++) {
      const r = idx[i] as number;
      const g = grad[r] as number;
      const h = hess[r] as number;
      const row = r * F;
      for (let f = 0; f < F; f++) {
        const k = ((offsets[f] as number) + (bins[row + f] as number)) * 3;
        hist[k] = (hist[k] as number) + g;
        hist[k + 1] = (hist[k + 1] as number) + h;
        hist[k + 2] = (hist[k + 2] as number) + 1;
      }
    }
  }

  /** Stable partition of idx[start…end) into bin <= splitBin, then the rest; returns the boundary. */
  private partition(idx: Uint32Array, start: number, end: number, feature: number, splitBin: number): number {
    const F = this.featureCount;
    let write = start;
    let spill = 0;
    for (let i = start; i < end; i++) {
      const r = idx[i] as number;
      if ((this.bins[r * F + feature] as number) <= splitBin) idx[write++] = r;
      else this.scratch[spill++] = r;
    }
    idx.set(this.scratch.subarray(0, spill), write);
    return write;
  }

  private acquire(): Float64Array {
    const h = this.pool.pop();
    if (h === undefined) return new Float64Array(this.histSize);
    h.fill(0);
    return h;
  }

  private release(h: Float64Array): void {
    this.pool.push(h);
  }
}

/** Leaf value reached by row `row` of a binned matrix. */
export function binnedLeafValue(built: BuiltTree, bins: Uint8Array, featureCount: number, row: number): number {
  const nodes = built.tree.nodes;
  let id = 0;
  let node = nodes[0] as TreeNode;
  while (node.feature >= 0) {
    id = (bins[row * featureCount + node.feature] as number) <= (built.splitBins[id] as number) ? node.left : node.right;
    node = nodes[id] as TreeNode;
  }
  return node.value;
}
