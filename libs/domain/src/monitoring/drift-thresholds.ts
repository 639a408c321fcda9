/**
 * When a series counts as drifted: its window's PSI against the baseline is above the threshold. One default for
 * every series, and per-series overrides by name (a feature, or "score"); null switches a series off (never judged).
 */
export interface DriftThresholds {
  readonly psi: number;
  readonly perSeries: Readonly<Record<string, number | null>>;
}

/** The default: PSI above 0.2 is a significant shift. */
export const DEFAULT_DRIFT_PSI_THRESHOLD = 0.2;

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { psi: DEFAULT_DRIFT_PSI_THRESHOLD, perSeries: {} };

export function thresholdFor(thresholds: DriftThresholds, series: string): number | null {
  return Object.hasOwn(thresholds.perSeries, series) ? (thresholds.perSeries[series] as number | null) : thresholds.psi;
}
