import { DECISION_MADE, upcastDecisionMade } from '../decision-made.event';
import { TRANSACTION_LABELLED, upcastTransactionLabelled } from '../labels/transaction-labelled.event';
import type { DecisionRequest } from '../decision-request';
import { readSubjectErased, SUBJECT_ERASED } from '../privacy/subject-erased.event';
import { findHistoryFeature } from './history-features';
import { HistoryState } from './history-state';

/** An event as the log holds it: enough of it for the history (any store's recorded event fits). */
export interface LoggedEvent {
  readonly position: bigint;
  readonly type: string;
  readonly data: unknown;
}

/**
 * The one way the log feeds a history state, live or recomputed: a DecisionMade (any schema version) joins the
 * history, a TransactionLabelled joins its terminal's labels, a SubjectErased forgets the subject's cards and
 * customer, any other event only moves the position on. Events must come in log order.
 */
export function applyToHistory(state: HistoryState, event: LoggedEvent): void {
  if (event.type === SUBJECT_ERASED) {
    const { pseudonyms, keyIds } = readSubjectErased(event.data);
    state.forget(event.position, { card: pseudonyms.cardId, customer: pseudonyms.customerId }, keyIds ?? []);
    return;
  }
  if (event.type === TRANSACTION_LABELLED) {
    // Labels from before any schema version name no terminal (their transaction id, from the stream, is not needed).
    state.applyLabel(event.position, upcastTransactionLabelled(event.data, ''));
    return;
  }
  if (event.type !== DECISION_MADE) {
    state.skip(event.position);
    return;
  }
  const decision = upcastDecisionMade(event.data);
  state.applyDecision(event.position, decision.request, decision.outcome, decision.personal?.keyId);
}

/** A state built from the log's events through `asOf` (inclusive): what a decision that recorded `asOf` was scored against. */
export async function historyAsOf(log: AsyncIterable<LoggedEvent> | Iterable<LoggedEvent>, asOf: bigint, maxEntities: number): Promise<HistoryState> {
  const state = new HistoryState(maxEntities);
  for await (const event of log) {
    if (event.position > asOf) break;
    applyToHistory(state, event);
  }
  return state;
}

/** The named history features of `request` against `state`, in the order asked (for a model's columns). */
export function historyFeatureValues(state: HistoryState, request: DecisionRequest, names: readonly string[]): number[] {
  const at = Date.parse(request.occurredAt);
  return names.map((name) => {
    const feature = findHistoryFeature(name);
    if (!feature) throw new RangeError(`unknown history feature "${name}"`);
    return feature.compute(state, request, at);
  });
}

/** The event types that change a history state: a reader that feeds one may skip every other type. */
export const HISTORY_EVENT_TYPES: readonly string[] = [DECISION_MADE, TRANSACTION_LABELLED, SUBJECT_ERASED];
