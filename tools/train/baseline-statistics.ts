import { binOf, type Dataset } from '@verdict/training';

export interface FeatureHistogram {
  readonly feature: string;
  /** Bin b holds x with edges[b-1] < x <= edges[b]; the last bin holds x > the last edge. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export interface FeatureSummary {
  readonly feature: string;
  readonly baseline: number;
  readonly mean: number;
  readonly min: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

function column(d: Dataset, f: number, rows: ArrayLike<number>): Float32Array {
  const F = d.featureNames.length;
  const out = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = d.values[(rows[i] as number) * F + f] as number;
  return out.sort();
}

/** The lower median: an actual observed (float32) value, so substituting it feeds the model a realistic input. */
const lowerQuantile = (sorted: Float32Array, q: number): number => sorted[Math.floor(q * (sorted.length - 1))] as number;

function allRows(d: Dataset): Uint32Array {
  return Uint32Array.from({ length: d.rows }, (_, i) => i);
}

function legitimateRows(d: Dataset): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < d.rows; i++) if (d.labels[i] === 0) out.push(i);
  return Uint32Array.from(out);
}

/** Per-feature medians of the legitimate rows: the "typical genuine transaction" explanations compare against. */
export function legitimateMedians(d: Dataset): number[] {
  const legit = legitimateRows(d);
  if (legit.length === 0) throw new RangeError('No legitimate rows to compute a baseline from');
  return d.featureNames.map((_, f) => lowerQuantile(column(d, f, legit), 0.5));
}

export function summarizeFeatures(d: Dataset, baseline: readonly number[]): FeatureSummary[] {
  const rows = allRows(d);
  return d.featureNames.map((feature, f) => {
    const sorted = column(d, f, rows);
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      feature,
      baseline: baseline[f] as number,
      mean: sorted.length ? sum / sorted.length : NaN,
      min: sorted[0] as number,
      p50: lowerQuantile(sorted, 0.5),
      p99: lowerQuantile(sorted, 0.99),
      max: sorted[sorted.length - 1] as number,
    };
  });
}

/**
 * Reference distributions for drift monitoring: edges at the distinct 5%…95% quantiles (one edge between the two
 * values of a binary feature), counts over all rows.
 */
export function featureHistograms(d: Dataset): FeatureHistogram[] {
  const rows = allRows(d);
  const F = d.featureNames.length;
  return d.featureNames.map((feature, f) => {
    const sorted = column(d, f, rows);
    const distinct = [...new Set(sorted)];
    let edges: number[];
    if (distinct.length <= 20) {
      edges = distinct.slice(0, -1).map((v, i) => Math.fround((v + (distinct[i + 1] as number)) / 2));
    } else {
      const qs = Array.from({ length: 19 }, (_, k) => lowerQuantile(sorted, (k + 1) / 20));
      edges = [...new Set(qs)].filter((e) => e < (sorted[sorted.length - 1] as number));
    }
    const edgeArray = Float32Array.from(edges);
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (let i = 0; i < d.rows; i++) counts[binOf(edgeArray, d.values[i * F + f] as number)]!++;
    return { feature, edges: Array.from(edgeArray), counts };
  });
}
