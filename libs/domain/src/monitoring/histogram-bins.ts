/**
 * Binned distributions for drift monitoring. A distribution is `edges` (strictly increasing) and one share per bin:
 * bin b holds x with edges[b-1] < x <= edges[b]; bin 0 holds x <= edges[0]; the last bin holds x > the last edge.
 * Training statistics (the model manifest) and first-window baselines both use this shape.
 */

/** Most bins a reference distribution gets: 5 % quantile steps. */
export const MAX_REFERENCE_BINS = 20;

/** The bin of `x` under `edges` (binary search). */
export function binIndex(edges: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Reference edges for a sample given as its distinct values (ascending) and their counts. A sample with at most
 * `maxBins` distinct values gets one edge halfway between each pair of neighbours, so every value has its own bin
 * (a binary feature gets one edge, 0.5). Otherwise the edges are the lower quantiles at 1/maxBins … (maxBins-1)/maxBins
 * (observed values), without repeats and below the maximum, so no bin is empty by construction.
 */
export function quantileEdges(distinct: readonly number[], counts: readonly number[], maxBins = MAX_REFERENCE_BINS): number[] {
  if (distinct.length !== counts.length) throw new RangeError('distinct values and counts differ in length');
  if (!Number.isInteger(maxBins) || maxBins < 2) throw new RangeError('maxBins must be an integer >= 2');
  for (let i = 1; i < distinct.length; i++) {
    if (!((distinct[i] as number) > (distinct[i - 1] as number))) throw new RangeError('distinct values must be strictly increasing');
  }
  if (distinct.length <= maxBins) return distinct.slice(0, -1).map((v, i) => (v + (distinct[i + 1] as number)) / 2);
  const total = counts.reduce((a, b) => a + b, 0);
  const max = distinct[distinct.length - 1] as number;
  const edges: number[] = [];
  let d = 0;
  let through = counts[0] as number; // observations up to and including distinct[d]
  for (let k = 1; k < maxBins; k++) {
    const index = Math.floor((k / maxBins) * (total - 1)); // 0-based rank of the lower quantile
    while (through <= index) through += counts[++d] as number;
    const value = distinct[d] as number;
    if (value < max && value !== edges[edges.length - 1]) edges.push(value);
  }
  return edges;
}

/** Distinct values (ascending) and their counts of a sample. */
export function distinctCounts(sample: Iterable<number>): { values: number[]; counts: number[] } {
  const tally = new Map<number, number>();
  for (const x of sample) tally.set(x, (tally.get(x) ?? 0) + 1);
  const values = [...tally.keys()].sort((a, b) => a - b);
  return { values, counts: values.map((v) => tally.get(v) as number) };
}

/** Each bin's share of the total; all zeros for an empty histogram. */
export function proportions(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total === 0 ? 0 : c / total));
}

/**
 * The fine key a value is counted under while a model has no reference bins yet: the value rounded to 2
 * significant digits (0 for 0). Integers up to 99 keep their own key, larger values share keys within ~1–10 %, so
 * the first window's edges can later be cut between keys and every later window re-binned exactly.
 */
export function fineKey(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(2));
}

/** Counts of fine keys gathered into the bins of `edges`. */
export function rebin(fine: Iterable<readonly [number, number]>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const [key, count] of fine) counts[binIndex(edges, key)]! += count;
  return counts;
}
