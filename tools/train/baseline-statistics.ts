import {
  binIndex,
  distinctCounts,
  proportions,
  quantileEdges,
  TRAINING_STATISTICS_SCHEMA_VERSION,
  type BinnedDistribution,
  type TrainingStatistics,
} from '@verdict/domain';
import type { Dataset } from '@verdict/training';

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
 * The manifest's training statistics (docs/monitoring.md): per feature and for the score, reference bins cut at the
 * 5 % quantiles of the training rows (between the values of a feature with at most 20 of them) and each bin's share.
 * Drift monitoring measures live traffic against these.
 */
export function trainingStatistics(d: Dataset, scores: Float32Array): TrainingStatistics {
  const rows = allRows(d);
  const reference = (sorted: Float32Array): BinnedDistribution => {
    const { values, counts } = distinctCounts(sorted);
    const edges = quantileEdges(values, counts);
    const binned = new Array<number>(edges.length + 1).fill(0);
    for (const x of sorted) binned[binIndex(edges, x)]!++;
    return { edges, proportions: proportions(binned) };
  };
  return {
    schemaVersion: TRAINING_STATISTICS_SCHEMA_VERSION,
    rows: d.rows,
    features: d.featureNames.map((name, f) => ({ name, ...reference(column(d, f, rows)) })),
    score: reference(Float32Array.from(scores).sort()),
  };
}
