import { Injectable } from '@nestjs/common';
import { batchLabelSchema, validateObject, type BatchLabel, type TransactionLabelled } from '@verdict/domain';
import { problem, type ProblemDocument } from '../http/problem-types';
import { LabelContentionError, LabelRecorder } from './label-recorder';

/** One label's answer in a batch, at its index: the label as stored, or the problem that stopped it. */
export type BatchLabelResult =
  | { readonly index: number; readonly status: 200 | 201; readonly label: TransactionLabelled }
  | { readonly index: number; readonly status: 400 | 404 | 409; readonly problem: ProblemDocument };

/** An item's text that no store keeps, as a field error under `prefix`; undefined if none. */
export type ItemTextError = (item: unknown, prefix: string) => { readonly path: string; readonly message: string } | undefined;

/** Transactions recorded at once: their appends meet in the store's group commit. */
const CONCURRENCY = 32;

/**
 * A batch of labels (a chargeback file): each label is validated and recorded on its own, so a bad row fails only
 * itself. Labels of one transaction are recorded together, in their batch order, in one append. A store error fails
 * the whole request (503); what was recorded before it stays recorded, and the same batch again is safe (repeats are
 * 200s).
 */
@Injectable()
export class LabelBatch {
  constructor(private readonly recorder: LabelRecorder) {}

  /** `textError` names an item's text no store keeps (http/unstorable-text.ts), which fails that item alone. */
  async record(items: readonly unknown[], recordedBy: string, textError: ItemTextError = () => undefined): Promise<BatchLabelResult[]> {
    const results = new Array<BatchLabelResult>(items.length);
    const byTransaction = new Map<string, { index: number; label: BatchLabel }[]>();
    items.forEach((item, index) => {
      const unstorable = textError(item, `/labels/${index}`);
      const valid = unstorable ? { ok: false as const, errors: [unstorable] } : validateObject(batchLabelSchema, item, `/labels/${index}`);
      if (!valid.ok) {
        results[index] = { index, status: 400, problem: problem('validation-failed', `Label ${index} has ${valid.errors.length} invalid field(s).`, { errors: valid.errors }) };
        return;
      }
      const group = byTransaction.get(valid.value.transactionId) ?? [];
      group.push({ index, label: valid.value });
      byTransaction.set(valid.value.transactionId, group);
    });

    const groups = [...byTransaction.entries()];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < groups.length) {
        const [transactionId, group] = groups[next++];
        let recorded;
        try {
          recorded = await this.recorder.record(transactionId, group.map((g) => g.label), recordedBy);
        } catch (error) {
          if (!(error instanceof LabelContentionError)) throw error;
          for (const { index } of group) results[index] = { index, status: 409, problem: problem('stream-contention', error.message) };
          continue;
        }
        recorded.forEach((r, i) => {
          const { index, label } = group[i];
          if (r.status === 404) {
            results[index] = { index, status: 404, problem: problem('transaction-not-found', `No decision has been recorded for transaction "${transactionId}".`) };
          } else if (r.status === 409) {
            results[index] = { index, status: 409, problem: problem('label-conflict', `Label "${label.labelId}" of transaction "${transactionId}" is already recorded with other content.`, { recorded: r.label }) };
          } else {
            results[index] = { index, status: r.status, label: r.label };
          }
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, groups.length) }, worker));
    return results;
  }
}
