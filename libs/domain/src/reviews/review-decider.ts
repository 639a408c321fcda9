import { DECISION_MADE, upcastDecisionMade } from '../decision-made.event';
import { TRANSACTION_LABELLED, upcastTransactionLabelled, type LabelValue, type TransactionLabelled } from '../labels/transaction-labelled.event';
import { REVIEW_CLAIMED, REVIEW_RESOLVED, reviewLabelId, type ReviewClaimed, type ReviewResolved } from './review-events';

/** A decision's review as its stream tells it, at an instant (claims lapse with time). */
export type ReviewState =
  | { readonly kind: 'not-for-review' }
  | { readonly kind: 'open'; readonly decisionId: string; readonly transactionId: string; readonly labelTaken?: TransactionLabelled }
  | { readonly kind: 'claimed'; readonly decisionId: string; readonly transactionId: string; readonly reviewer: string; readonly expiresAt: string; readonly labelTaken?: TransactionLabelled }
  | { readonly kind: 'resolved'; readonly decisionId: string; readonly transactionId: string; readonly resolved: ReviewResolved };

export interface StreamEvent {
  readonly type: string;
  readonly data: unknown;
}

/** Folds a decision stream (DecisionMade first) into its review state at `now`. */
export function reviewState(stream: readonly StreamEvent[], now: Date): ReviewState {
  const first = stream[0];
  if (first?.type !== DECISION_MADE) return { kind: 'not-for-review' };
  const decision = upcastDecisionMade(first.data);
  if (decision.outcome !== 'review') return { kind: 'not-for-review' };
  const ids = { decisionId: decision.decisionId, transactionId: decision.transactionId };
  const labelId = reviewLabelId(decision.decisionId);
  // A label already holding the labelId the resolution would record: a client's, from before such ids were reserved
  // for reviews (label-request.ts).
  let labelTaken: TransactionLabelled | undefined;
  let claim: ReviewClaimed | undefined;
  for (const e of stream) {
    // The resolution's own label follows it in the same append: only an earlier one can be in the way.
    if (e.type === REVIEW_RESOLVED) return { kind: 'resolved', ...ids, resolved: e.data as ReviewResolved };
    if (e.type === REVIEW_CLAIMED) claim = e.data as ReviewClaimed;
    if (e.type === TRANSACTION_LABELLED && (e.data as { labelId?: unknown }).labelId === labelId) {
      labelTaken = upcastTransactionLabelled(e.data, decision.transactionId);
    }
  }
  const taken = labelTaken ? { labelTaken } : {};
  if (claim && Date.parse(claim.expiresAt) > now.getTime()) return { kind: 'claimed', ...ids, reviewer: claim.reviewer, expiresAt: claim.expiresAt, ...taken };
  return { kind: 'open', ...ids, ...taken };
}

export type ReviewRefusal =
  | { readonly refused: 'not-for-review' }
  | { readonly refused: 'resolved'; readonly resolved: ReviewResolved }
  | { readonly refused: 'claimed-by-other'; readonly reviewer: string; readonly expiresAt: string }
  | { readonly refused: 'label-taken'; readonly recorded: TransactionLabelled };

/** Claim (or renew one's own claim) for `ttlMs`. Refused when resolved or held by someone else. */
export function decideClaim(state: ReviewState, reviewer: string, now: Date, ttlMs: number): ReviewClaimed | ReviewRefusal {
  if (state.kind === 'not-for-review') return { refused: 'not-for-review' };
  if (state.kind === 'resolved') return { refused: 'resolved', resolved: state.resolved };
  if (state.kind === 'claimed' && state.reviewer !== reviewer) return { refused: 'claimed-by-other', reviewer: state.reviewer, expiresAt: state.expiresAt };
  return {
    schemaVersion: 1,
    decisionId: state.decisionId,
    transactionId: state.transactionId,
    reviewer,
    claimedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
  };
}

/**
 * Resolve. An open review may be resolved without a claim; a claim held by someone else, an earlier resolution, or
 * another label holding the resolution's labelId (a label is immutable, and its event id derives from that labelId)
 * refuses it.
 */
export function decideResolution(state: ReviewState, reviewer: string, resolution: LabelValue, note: string | undefined, now: Date): ReviewResolved | ReviewRefusal {
  if (state.kind === 'not-for-review') return { refused: 'not-for-review' };
  if (state.kind === 'resolved') return { refused: 'resolved', resolved: state.resolved };
  if (state.kind === 'claimed' && state.reviewer !== reviewer) return { refused: 'claimed-by-other', reviewer: state.reviewer, expiresAt: state.expiresAt };
  // Never the same content (a resolution's label is reported now): as for labels, other content under a labelId is a conflict.
  if (state.labelTaken) return { refused: 'label-taken', recorded: state.labelTaken };
  return {
    schemaVersion: 1,
    decisionId: state.decisionId,
    transactionId: state.transactionId,
    reviewer,
    resolution,
    ...(note === undefined ? {} : { note }),
    resolvedAt: now.toISOString(),
    labelId: reviewLabelId(state.decisionId),
  };
}

export const isRefusal = (r: object): r is ReviewRefusal => 'refused' in r;
