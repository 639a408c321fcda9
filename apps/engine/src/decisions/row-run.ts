import { compactExplanationRows, expandExplanationScores, explainedFeatures, NonFiniteScoreError, type DecisionRequest } from '@verdict/domain';
import type { RawTensor, ScoreResult } from '@verdict/model-runtime';
import type { Arm } from '../deployment/routing-table';

/** One request's history feature values by name, as the history thread gave them for its scoring. */
export type HistoryLookup = (names: readonly string[]) => readonly number[];

/** Where one request's rows sit in a run, and what they scored. */
export interface RowSlot {
  readonly values: Float32Array;
  readonly firstRow: number;
  readonly rows: number;
  /** With explanation rows: the features that have one in the run (explainedFeatures: those off their baseline). */
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
    const explained = explain ? explainedFeatures(values, this.arm.model.baseline) : undefined;
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
    for (const slot of this.slots) compactExplanationRows(slot.values, this.arm.model.baseline, slot.explained ?? [], all, slot.firstRow * width);
    this.result = await this.arm.model.runtime.score(all, this.rowCount);
  }

  /** What a slot scored; throws NonFiniteScoreError when its own score is not finite (that request alone failed). */
  scoresOf(slot: RowSlot): SlotScores {
    if (!this.result) throw new Error('the run has not been made');
    const run = this.result.scores.subarray(slot.firstRow, slot.firstRow + slot.rows);
    if (!Number.isFinite(run[0])) throw new NonFiniteScoreError(run[0] as number);
    return { scores: slot.explained ? expandExplanationScores(run, slot.values.length, slot.explained) : run, outputs: this.result.outputsOf(slot.firstRow) };
  }
}
