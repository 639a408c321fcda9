import type { BaselineReference, TimeWindow } from './drift-events';
import { thresholdFor, type DriftThresholds } from './drift-thresholds';
import { fineKey, binIndex, proportions, quantileEdges, rebin } from './histogram-bins';
import { ksStatistic, psi } from './drift-statistics';
import { SCORE_SERIES, type BinnedDistribution, type TrainingStatistics } from './training-statistics';

/**
 * How a model version's traffic is counted, fixed by the first thing the drift projection learns of the version:
 * by the bins of its training statistics (counts keyed by bin index), or, without statistics, by fine keys
 * (`fineKey`) until its first full window becomes the baseline and fixes the bins.
 */
export type DriftBinning =
  | { readonly kind: 'training'; readonly statistics: TrainingStatistics }
  | { readonly kind: 'first-window'; readonly series: readonly string[] };

/** One window of one version as the projection keeps it: decisions, and per series the counts by key. */
export interface WindowHistogram {
  readonly decisions: number;
  readonly series: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface DriftBaseline {
  readonly reference: BaselineReference;
  /** Features in input order, then the score. */
  readonly series: readonly (BinnedDistribution & { readonly name: string })[];
  /** Whether windows hold bin indexes (training) or fine keys to re-bin (first-window). */
  readonly keys: 'bin-index' | 'fine-key';
}

/** The figures of one series in one window; psi and ks are rounded to 6 decimals. */
export interface SeriesDrift {
  readonly feature: string;
  readonly psi: number;
  readonly ks: number;
  /** null: the series is switched off (reported, never judged). */
  readonly threshold: number | null;
  readonly breached: boolean;
}

const round6 = (x: number): number => Number(x.toFixed(6));

/** Series names in the order figures are listed: features in input order, then the score. */
export function seriesNames(binning: DriftBinning): string[] {
  return binning.kind === 'training' ? [...binning.statistics.features.map((f) => f.name), SCORE_SERIES] : [...binning.series];
}

/** The key the projection counts `value` under, given the series' edges (training) or none (fine key). */
export const histogramKey = (edges: readonly number[] | undefined, value: number): number =>
  edges === undefined ? fineKey(value) : binIndex(edges, value);

export function trainingBaseline(statistics: TrainingStatistics): DriftBaseline {
  return {
    reference: { kind: 'training' },
    series: [...statistics.features, { name: SCORE_SERIES, ...statistics.score }],
    keys: 'bin-index',
  };
}

const entries = (counts: Readonly<Record<string, number>>): [number, number][] =>
  Object.entries(counts).map(([key, count]) => [Number(key), count] as [number, number]);

/** A first-window baseline: per series, reference edges cut between the window's fine keys, and its shares in them. */
export function firstWindowBaseline(window: TimeWindow, histogram: WindowHistogram, names: readonly string[]): DriftBaseline {
  const series = names
    .filter((name) => histogram.series[name] !== undefined)
    .map((name) => {
      const fine = entries(histogram.series[name] as Record<string, number>)
        .filter(([, count]) => count > 0)
        .sort((a, b) => a[0] - b[0]);
      const edges = quantileEdges(fine.map(([key]) => key), fine.map(([, count]) => count));
      return { name, edges, proportions: proportions(rebin(fine, edges)) };
    });
  return { reference: { kind: 'first-window', window, decisions: histogram.decisions }, series, keys: 'fine-key' };
}

/** A window's shares in the bins of one baseline series. */
export function windowShares(baseline: DriftBaseline, series: BinnedDistribution, counts: Readonly<Record<string, number>>): number[] {
  if (baseline.keys === 'fine-key') return proportions(rebin(entries(counts), series.edges));
  const binned = new Array<number>(series.edges.length + 1).fill(0);
  for (const [bin, count] of entries(counts)) if (bin >= 0 && bin < binned.length) binned[bin]! += count;
  return proportions(binned);
}

/** PSI and KS of every baseline series the window has, with its threshold and whether it is breached. */
export function driftFigures(baseline: DriftBaseline, window: WindowHistogram, thresholds: DriftThresholds): SeriesDrift[] {
  return baseline.series.flatMap((series) => {
    const counts = window.series[series.name];
    if (counts === undefined) return [];
    const actual = windowShares(baseline, series, counts);
    const figures = { psi: round6(psi(series.proportions, actual)), ks: round6(ksStatistic(series.proportions, actual)) };
    const threshold = thresholdFor(thresholds, series.name);
    return [{ feature: series.name, ...figures, threshold, breached: threshold !== null && figures.psi > threshold }];
  });
}
