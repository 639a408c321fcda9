import { toDecisionResponse, type DecisionResponse, type FieldError } from '@verdict/domain';
import { toProblem } from '../http/problem-mapping';
import { problem, type ProblemDocument } from '../http/problem-types';
import type { DecisionOutcome } from './decision-recorder';

/**
 * One item's answer in a batch, at its index: the status a single command would have had, and its body. A decided
 * item names the correlation id its decision was recorded under: the batch's for one recorded now, the original
 * request's for a retry (absent if the original had none), whatever X-Correlation-Id the batch was sent with.
 */
export type BatchItemResult =
  | { readonly index: number; readonly status: 200 | 201; readonly decision: DecisionResponse; readonly correlationId?: string }
  | { readonly index: number; readonly status: number; readonly problem: ProblemDocument };

export const invalidItem = (index: number, errors: readonly FieldError[]): BatchItemResult => ({
  index,
  status: 400,
  problem: problem('validation-failed', `Item ${index} has ${errors.length} invalid field(s).`, { errors }),
});

/** An item larger than its single command may be: the 413 that command would have had. */
export const oversizedItem = (index: number, limitBytes: number): BatchItemResult => ({
  index,
  status: 413,
  problem: problem('payload-too-large', `Item ${index} is larger than a single decision request may be (${limitBytes / 1024} KiB as compact JSON). Nothing was recorded for it.`),
});

/** A decided item's answer; `internal` tells the caller to log the error behind a 5xx item. */
export function decidedItem(index: number, outcome: DecisionOutcome): { result: BatchItemResult; internal?: Error } {
  if (outcome instanceof Error) {
    const { doc, internal } = toProblem(outcome);
    return { result: { index, status: doc.status, problem: doc }, ...(internal ? { internal: outcome } : {}) };
  }
  const decision = toDecisionResponse(outcome.event, outcome.position);
  const { correlationId } = outcome;
  return { result: { index, status: outcome.created ? 201 : 200, decision, ...(correlationId !== undefined ? { correlationId } : {}) } };
}
