import type { FieldDifference } from './replay-comparison';
import type { ReplaySelection } from './replay-request';

/** How many mismatches (and feature differences) a report lists; the counts are always complete. */
export const REPORT_LIST_LIMIT = 100;

export interface ReplayMismatch extends FieldDifference {
  readonly decisionId: string;
  /** Global position of the DecisionMade event (decimal). */
  readonly position: string;
}

/** Why a model's decisions could not be replayed. */
export type ModelUnavailable = 'missing' | 'altered';

export interface ReplayedModel {
  readonly sha256: string;
  readonly name: string;
  readonly version: string;
  readonly decisions: number;
  readonly status: 'replayed' | ModelUnavailable;
  /** For an altered artifact: the sha256 its stored bytes hash to now. */
  readonly detail?: string;
}

export interface ReplayReport {
  readonly selection: ReplaySelection;
  readonly counts: {
    /** Decisions selected. Each is exactly one of identical, mismatched, model missing, model altered. */
    readonly decisions: number;
    readonly identical: number;
    readonly mismatched: number;
    readonly modelMissing: number;
    readonly modelAltered: number;
    /** recompute-features mode: decisions whose row today's feature code builds differently (feature-code drift). */
    readonly featureDrift: number;
  };
  /** First and last position replayed (decimal), null when nothing was selected. */
  readonly positions: { readonly first: string | null; readonly last: string | null };
  readonly models: readonly ReplayedModel[];
  /** The first REPORT_LIST_LIMIT differing fields, in log order. */
  readonly mismatches: readonly ReplayMismatch[];
  readonly featureDrift: {
    /** Decisions with a differing feature, per feature name. */
    readonly byFeature: Readonly<Record<string, number>>;
    readonly first: readonly ReplayMismatch[];
  };
}

/** Accumulates a replay's verdicts in log order; pure, so the same decisions always give the same report. */
export class ReplayTally {
  private readonly counts = { decisions: 0, identical: 0, mismatched: 0, modelMissing: 0, modelAltered: 0, featureDrift: 0 };
  private readonly models = new Map<string, { sha256: string; name: string; version: string; decisions: number; status: ReplayedModel['status']; detail?: string }>();
  private readonly mismatches: ReplayMismatch[] = [];
  private readonly drift: ReplayMismatch[] = [];
  private readonly byFeature: Record<string, number> = {};
  private first: string | null = null;
  private last: string | null = null;

  constructor(private readonly selection: ReplaySelection) {}

  get done(): number {
    return this.counts.decisions;
  }

  /** One decision's verdict: `differences` empty means identical. */
  replayed(decisionId: string, position: bigint, model: ModelRef, differences: readonly FieldDifference[]): void {
    this.count(position, model, 'replayed');
    if (differences.length === 0) {
      this.counts.identical++;
      return;
    }
    this.counts.mismatched++;
    for (const d of differences) {
      if (this.mismatches.length >= REPORT_LIST_LIMIT) break;
      this.mismatches.push({ decisionId, position: position.toString(), ...d });
    }
  }

  unavailable(position: bigint, model: ModelRef, why: ModelUnavailable, detail?: string): void {
    this.count(position, model, why, detail);
    if (why === 'missing') this.counts.modelMissing++;
    else this.counts.modelAltered++;
  }

  featureDrift(decisionId: string, position: bigint, differences: readonly FieldDifference[]): void {
    if (differences.length === 0) return;
    this.counts.featureDrift++;
    for (const d of differences) {
      const feature = d.field.replace(/^features\./, '');
      this.byFeature[feature] = (this.byFeature[feature] ?? 0) + 1;
      if (this.drift.length < REPORT_LIST_LIMIT) this.drift.push({ decisionId, position: position.toString(), ...d });
    }
  }

  report(): ReplayReport {
    return {
      selection: this.selection,
      counts: { ...this.counts },
      positions: { first: this.first, last: this.last },
      models: [...this.models.values()].map((m) => ({ ...m })),
      mismatches: [...this.mismatches],
      featureDrift: { byFeature: { ...this.byFeature }, first: [...this.drift] },
    };
  }

  private count(position: bigint, model: ModelRef, status: ReplayedModel['status'], detail?: string): void {
    this.counts.decisions++;
    const p = position.toString();
    if (this.first === null) this.first = p;
    this.last = p;
    const entry = this.models.get(model.sha256) ?? { ...model, decisions: 0, status, ...(detail ? { detail } : {}) };
    entry.decisions++;
    this.models.set(model.sha256, entry);
  }
}

export interface ModelRef {
  readonly sha256: string;
  readonly name: string;
  readonly version: string;
}

/**
 * One report from the reports of consecutive position ranges, given in log order (a replay split across threads):
 * the same report a single pass over the whole range gives.
 */
export function mergeReplayReports(selection: ReplaySelection, parts: readonly ReplayReport[]): ReplayReport {
  const counts = { decisions: 0, identical: 0, mismatched: 0, modelMissing: 0, modelAltered: 0, featureDrift: 0 };
  const models = new Map<string, ReplayedModel>();
  const byFeature: Record<string, number> = {};
  const mismatches: ReplayMismatch[] = [];
  const drift: ReplayMismatch[] = [];
  let first: string | null = null;
  let last: string | null = null;
  for (const part of parts) {
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += part.counts[key];
    for (const m of part.models) {
      const known = models.get(m.sha256);
      models.set(m.sha256, known ? { ...known, decisions: known.decisions + m.decisions } : { ...m });
    }
    for (const [feature, n] of Object.entries(part.featureDrift.byFeature)) byFeature[feature] = (byFeature[feature] ?? 0) + n;
    mismatches.push(...part.mismatches.slice(0, REPORT_LIST_LIMIT - mismatches.length));
    drift.push(...part.featureDrift.first.slice(0, REPORT_LIST_LIMIT - drift.length));
    first ??= part.positions.first;
    last = part.positions.last ?? last;
  }
  return { selection, counts, positions: { first, last }, models: [...models.values()], mismatches, featureDrift: { byFeature, first: drift } };
}
