import type { Outcome } from '../decision-made.event';
import type { LabelValue } from '../labels/transaction-labelled.event';

/** Score histogram bins for ROC AUC: [0, 0.01), [0.01, 0.02), … [0.99, 1]. */
export const SCORE_BINS = 100;

/**
 * Decisions of one model version grouped as the read model counts them: day (UTC), arm, outcome, the label in force
 * as of the asked instant (null: none yet), and score bin; with their count and amount (the label's amount when it
 * names one, else the transaction's).
 */
export interface PerformanceCell {
  readonly day: string;
  readonly arm: string;
  readonly outcome: Outcome;
  readonly label: LabelValue | null;
  readonly bin: number;
  readonly count: number;
  readonly amount: number;
}

/** How a decision with no label as of the asked instant counts. */
export type UnlabelledAs = 'legitimate' | 'excluded';

export interface ConfusionCounts {
  readonly declinedFraud: number;
  readonly declinedLegitimate: number;
  readonly approvedFraud: number;
  readonly approvedLegitimate: number;
  readonly reviewedFraud: number;
  readonly reviewedLegitimate: number;
}

export interface PerformanceFigures {
  readonly decisions: number;
  readonly labelled: { readonly fraud: number; readonly legitimate: number };
  /** Labelled decisions ÷ decisions. */
  readonly labelCoverage: number | null;
  readonly confusion: ConfusionCounts;
  /** Decline is the positive call. Review is counted beside it (in neither). */
  readonly precision: number | null;
  /** Declined fraud ÷ all fraud (reviewed fraud is not caught by a decline). */
  readonly recall: number | null;
  /** Declined legitimate ÷ all legitimate. */
  readonly falsePositiveRate: number | null;
  readonly declineRate: number | null;
  readonly reviewRate: number | null;
  /** From the score histograms of fraud and legitimate decisions (ties within a bin count half). */
  readonly rocAuc: number | null;
  readonly fraudAmount: { readonly caught: number; readonly reviewed: number; readonly missed: number };
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Figures over cells (pure). */
export function performanceOf(cells: readonly PerformanceCell[], unlabelled: UnlabelledAs): PerformanceFigures {
  const c = { declinedFraud: 0, declinedLegitimate: 0, approvedFraud: 0, approvedLegitimate: 0, reviewedFraud: 0, reviewedLegitimate: 0 };
  const amount = { caught: 0, reviewed: 0, missed: 0 };
  const fraudBins = new Array<number>(SCORE_BINS).fill(0);
  const legitBins = new Array<number>(SCORE_BINS).fill(0);
  let decisions = 0;
  let declines = 0;
  let reviews = 0;
  let labelledFraud = 0;
  let labelledLegit = 0;
  for (const cell of cells) {
    decisions += cell.count;
    if (cell.outcome === 'decline') declines += cell.count;
    if (cell.outcome === 'review') reviews += cell.count;
    if (cell.label === 'fraud') labelledFraud += cell.count;
    if (cell.label === 'legitimate') labelledLegit += cell.count;
    const truth = cell.label ?? (unlabelled === 'legitimate' ? 'legitimate' : null);
    if (truth === null) continue;
    const bin = Math.min(SCORE_BINS - 1, Math.max(0, cell.bin));
    if (truth === 'fraud') {
      fraudBins[bin] += cell.count;
      if (cell.outcome === 'decline') (c.declinedFraud += cell.count), (amount.caught += cell.amount);
      else if (cell.outcome === 'review') (c.reviewedFraud += cell.count), (amount.reviewed += cell.amount);
      else (c.approvedFraud += cell.count), (amount.missed += cell.amount);
    } else {
      legitBins[bin] += cell.count;
      if (cell.outcome === 'decline') c.declinedLegitimate += cell.count;
      else if (cell.outcome === 'review') c.reviewedLegitimate += cell.count;
      else c.approvedLegitimate += cell.count;
    }
  }
  const fraud = c.declinedFraud + c.reviewedFraud + c.approvedFraud;
  const legit = c.declinedLegitimate + c.reviewedLegitimate + c.approvedLegitimate;
  return {
    decisions,
    labelled: { fraud: labelledFraud, legitimate: labelledLegit },
    labelCoverage: ratio(labelledFraud + labelledLegit, decisions),
    confusion: c,
    precision: ratio(c.declinedFraud, c.declinedFraud + c.declinedLegitimate),
    recall: ratio(c.declinedFraud, fraud),
    falsePositiveRate: ratio(c.declinedLegitimate, legit),
    declineRate: ratio(declines, decisions),
    reviewRate: ratio(reviews, decisions),
    rocAuc: rocAucOfHistograms(fraudBins, legitBins),
    fraudAmount: amount,
  };
}

/**
 * ROC AUC = P(score of a fraud > score of a legitimate) + ½ P(equal), with scores known to the bin: pairs in the same
 * bin count as ties. Null unless both classes are present.
 */
export function rocAucOfHistograms(positives: readonly number[], negatives: readonly number[]): number | null {
  const p = positives.reduce((a, b) => a + b, 0);
  const n = negatives.reduce((a, b) => a + b, 0);
  if (p === 0 || n === 0) return null;
  let below = 0; // negatives in lower bins
  let wins = 0;
  for (let i = 0; i < positives.length; i++) {
    wins += positives[i] * (below + negatives[i] / 2);
    below += negatives[i];
  }
  return wins / (p * n);
}

/** The card's figures for the same definitions, from a manifest's free-form `metrics` (test set, else validation). */
export interface CardFigures {
  readonly precision: number | null;
  readonly recall: number | null;
  readonly falsePositiveRate: number | null;
  readonly rocAuc: number | null;
  readonly source: string | null;
}

export function cardFiguresOf(metrics: unknown): CardFigures {
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const m = (metrics ?? {}) as Record<string, { rocAuc?: unknown; decline?: Record<string, unknown> } | undefined>;
  for (const set of ['test', 'validation'] as const) {
    const s = m[set];
    if (s && typeof s === 'object') {
      return { precision: num(s.decline?.precision), recall: num(s.decline?.recall), falsePositiveRate: num(s.decline?.falsePositiveRate), rocAuc: num(s.rocAuc), source: `metrics.${set}` };
    }
  }
  return { precision: null, recall: null, falsePositiveRate: null, rocAuc: null, source: null };
}
