import type { DecisionRequest } from '@verdict/domain';
import type { RawTensor, ScoreResult } from '@verdict/model-runtime';
import type { Arm } from '../deployment/routing-table';

/** One request's history feature values by name, as the history thread gave them for its scoring. */
export type HistoryLookup = (names: readonly string[]) => readonly number[];

/** Where one request's rows sit in a run, and what they scored. */
export interface RowSlot {
  readonly values: Float32Array;
  readonly firstRow: number;
  readonly rows: number;
  /**
   * With explanation rows: the features whose value differs from the baseline, each with a row in the run. A feature
   * at its baseline value would give a row identical to the request's own, so it is not run: its score is the
   * request's score (rows are independent in the model), and its contribution 0.
   */
  readonly explained?: readonly number[];
}

export interface SlotScores {
  /** scores[0]: the request's row; then its explanation rows, if it had them. */
  readonly scores: Float32Array;
  readonly outputs: Readonly<Record<string, RawTensor>>;
}

/**
 * Many requests' rows for one arm's model, run together: a decision adds its row and its explanation rows (1 + F),
 * a shadow only its row. Rows are independent in the model, so each request's scores are those it would get alone.
 */
export class RowRun {
  private readonly slots: RowSlot[] = [];
  private rowCount = 0;
  private result: ScoreResult | undefined;

  constructor(readonly arm: Arm) {}

  get empty(): boolean {
    return this.slots.length === 0;
  }

  /**
   * Adds a request's row (and its explanation rows when `explain`); returns its slot. `history` gives the values of
   * the model's history features (FeaturePlan.historyNames), when it has any.
   */
  add(request: DecisionRequest, explain: boolean, history?: HistoryLookup): RowSlot {
    const plan = this.arm.model.plan;
    const values = plan.build(request, undefined, 0, plan.usesHistory ? history?.(plan.historyNames) : undefined);
    const explained = explain ? differingFromBaseline(values, this.arm.model.baseline) : undefined;
    const slot = { values, firstRow: this.rowCount, rows: 1 + (explained?.length ?? 0), explained };
    this.slots.push(slot);
    this.rowCount += slot.rows;
    return slot;
  }

  /** One model run over every row added (none when nothing was added). */
  async run(): Promise<void> {
    if (this.empty) return;
    const width = this.arm.model.plan.width;
    const all = new Float32Array(this.rowCount * width);
    const baseline = this.arm.model.baseline;
    for (const slot of this.slots) {
      all.set(slot.values, slot.firstRow * width);
      slot.explained?.forEach((feature, k) => {
        const at = (slot.firstRow + 1 + k) * width;
        all.set(slot.values, at);
        all[at + feature] = baseline[feature] ?? 0;
      });
    }
    this.result = await this.arm.model.runtime.score(all, this.rowCount);
  }

  /** What a slot scored; throws RangeError when its own score is not finite (that request alone failed). */
  scoresOf(slot: RowSlot): SlotScores {
    if (!this.result) throw new Error('the run has not been made');
    const run = this.result.scores.subarray(slot.firstRow, slot.firstRow + slot.rows);
    if (!Number.isFinite(run[0])) throw new RangeError(`model produced a non-finite score (${run[0]})`);
    return { scores: slot.explained ? explanationScores(run, slot.values.length, slot.explained) : run, outputs: this.result.outputsOf(slot.firstRow) };
  }
}

/** The features whose float32 value differs from the baseline's, in order. */
function differingFromBaseline(values: Float32Array, baseline: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== Math.fround(baseline[i] ?? 0)) out.push(i);
  return out;
}

/** Scores as explanationRows() lays them out (the request's, then one per feature), from the rows actually run. */
function explanationScores(run: Float32Array, features: number, explained: readonly number[]): Float32Array {
  const scores = new Float32Array(features + 1).fill(run[0] as number);
  explained.forEach((feature, k) => (scores[feature + 1] = run[k + 1] as number));
  return scores;
}
