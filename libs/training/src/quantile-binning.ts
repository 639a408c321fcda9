import type { Dataset } from './dataset';

export const MAX_BINS_LIMIT = 255;

/**
 * Per-feature split candidates. Bin b of feature f holds values x with edges[b-1] < x <= edges[b]; the last bin
 * holds everything above the last edge. Every edge is a float32 value strictly between two observed float32 values,
 * so "bin <= b" in training and "x <= edges[b]" in onnxruntime's float32 comparison select exactly the same rows.
 */
export interface BinMapper {
  readonly edges: readonly Float32Array[];
}

export function binCount(mapper: BinMapper, feature: number): number {
  return (mapper.edges[feature] as Float32Array).length + 1;
}

/** A float32 threshold t with lo <= t < hi (lo < hi are float32 values): the midpoint when representable, else lo. */
export function splitThreshold(lo: number, hi: number): number {
  const mid = Math.fround((lo + hi) / 2);
  return mid >= lo && mid < hi ? mid : lo;
}

/**
 * Quantile edges from the distinct values of each feature: features with ≤ maxBins distinct values get one bin per
 * value; others get boundaries where the cumulative count crosses k/maxBins (so bins hold roughly equal row counts).
 */
export function fitBinMapper(data: Dataset, maxBins = MAX_BINS_LIMIT): BinMapper {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS_LIMIT) {
    throw new RangeError(`maxBins must be an integer in [2, ${MAX_BINS_LIMIT}], got ${maxBins}`);
  }
  const f = data.featureNames.length;
  const column = new Float32Array(data.rows);
  const edges: Float32Array[] = [];
  for (let j = 0; j < f; j++) {
    for (let i = 0; i < data.rows; i++) column[i] = data.values[i * f + j] as number;
    column.sort();
    const distinct: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < column.length; i++) {
      const v = column[i] as number;
      if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
      else {
        distinct.push(v);
        counts.push(1);
      }
    }
    edges.push(edgesFromDistinct(distinct, counts, data.rows, maxBins));
  }
  return { edges };
}

function edgesFromDistinct(distinct: number[], counts: number[], total: number, maxBins: number): Float32Array {
  if (distinct.length <= 1) return new Float32Array(0);
  const out: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) out.push(splitThreshold(distinct[i]!, distinct[i + 1]!));
    return Float32Array.from(out);
  }
  // Boundary after distinct index i whenever the cumulative count first reaches the next quantile target.
  let cumulative = 0;
  let k = 1;
  for (let i = 0; i + 1 < distinct.length && out.length < maxBins - 1; i++) {
    cumulative += counts[i]!;
    if (cumulative >= (k * total) / maxBins) {
      out.push(splitThreshold(distinct[i]!, distinct[i + 1]!));
      while (k < maxBins && cumulative >= (k * total) / maxBins) k++;
    }
  }
  return Float32Array.from(out);
}

/** Index of the bin holding x: the first b with x <= edges[b], else edges.length. */
export function binOf(edges: Float32Array, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Row-major bin indices (rows × features), one byte each. */
export function binDataset(mapper: BinMapper, data: Dataset): Uint8Array {
  const f = data.featureNames.length;
  if (mapper.edges.length !== f) throw new RangeError(`Bin mapper has ${mapper.edges.length} features, dataset has ${f}`);
  const out = new Uint8Array(data.rows * f);
  for (let i = 0; i < data.rows; i++) {
    for (let j = 0; j < f; j++) out[i * f + j] = binOf(mapper.edges[j] as Float32Array, data.values[i * f + j] as number);
  }
  return out;
}
