import type { CardFigures, PerformanceFigures } from './model-performance';

/** Event type names are part of the stored format: never rename one. Documented in docs/events.md. */
export const PERFORMANCE_DEGRADED = 'PerformanceDegraded' as const;
export const PERFORMANCE_RECOVERED = 'PerformanceRecovered' as const;

/** The figures a performance judgement was made on (on `monitoring-<model>`, beside the drift events). */
export interface PerformanceJudged {
  readonly model: string;
  readonly version: string;
  /** decidedAt window [from, to) and the instant labels were counted as of. */
  readonly window: { readonly from: string; readonly to: string };
  readonly asOf: string;
  /** Labelled decisions in the window (fraud and legitimate). */
  readonly labelled: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly card: { readonly precision: number | null; readonly recall: number | null };
  /** How far below the card's figure a live figure may fall. */
  readonly margin: number;
  readonly minLabels: number;
  /** The figures more than `margin` below the card's. */
  readonly breached: readonly ('precision' | 'recall')[];
}

/** Recall or precision fell more than the margin below the card's figure, with enough labels to say so. */
export interface PerformanceDegradedV1 extends PerformanceJudged {
  readonly schemaVersion: 1;
}

/** Back within the margin after a PerformanceDegraded. */
export interface PerformanceRecoveredV1 extends PerformanceJudged {
  readonly schemaVersion: 1;
}

export interface PerformanceThresholds {
  readonly margin: number;
  readonly minLabels: number;
}

/**
 * The transition a new judgement makes for a version (pure): `degraded` when it breaches and the version was not
 * degraded yet, `recovered` when it no longer breaches (with enough labels to say so) and it was; otherwise nothing.
 * Too few labels never changes the state.
 */
export function judgePerformance(
  wasDegraded: boolean,
  at: Omit<PerformanceJudged, 'breached' | 'card' | 'margin' | 'minLabels' | 'precision' | 'recall' | 'labelled'>,
  figures: PerformanceFigures,
  card: CardFigures,
  t: PerformanceThresholds,
): { type: typeof PERFORMANCE_DEGRADED | typeof PERFORMANCE_RECOVERED; data: PerformanceDegradedV1 } | null {
  const labelled = figures.labelled.fraud + figures.labelled.legitimate;
  if (labelled < t.minLabels) return null;
  const below = (live: number | null, promised: number | null): boolean => live !== null && promised !== null && live < promised - t.margin;
  const breached = [...(below(figures.precision, card.precision) ? (['precision'] as const) : []), ...(below(figures.recall, card.recall) ? (['recall'] as const) : [])];
  const data: PerformanceDegradedV1 = {
    schemaVersion: 1,
    ...at,
    labelled,
    precision: figures.precision,
    recall: figures.recall,
    card: { precision: card.precision, recall: card.recall },
    margin: t.margin,
    minLabels: t.minLabels,
    breached,
  };
  if (breached.length > 0 && !wasDegraded) return { type: PERFORMANCE_DEGRADED, data };
  if (breached.length === 0 && wasDegraded) return { type: PERFORMANCE_RECOVERED, data };
  return null;
}

/** Whether `version` stands degraded after the performance events of its model's monitoring stream, in order. */
export function isDegraded(events: readonly { readonly type: string; readonly data: unknown }[], version: string): boolean {
  let degraded = false;
  for (const e of events) {
    if ((e.data as { version?: unknown }).version !== version) continue;
    if (e.type === PERFORMANCE_DEGRADED) degraded = true;
    else if (e.type === PERFORMANCE_RECOVERED) degraded = false;
  }
  return degraded;
}
