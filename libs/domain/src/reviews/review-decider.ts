import { DECISION_MADE, upcastDecisionMade } from '../decision-made.event';
import type { LabelValue } from '../labels/transaction-labelled.event';
import { REVIEW_CLAIMED, REVIEW_RESOLVED, reviewLabelId, type ReviewClaimed, type ReviewResolved } from './review-events';

/** A decision's review as its stream tells it, at an instant (claims lapse with time). */
export type ReviewState =
  | { readonly kind: 'not-for-review' }
  | { readonly kind: 'open'; readonly decisionId: string; readonly transactionId: string }
  | { readonly kind: 'claimed'; readonly decisionId: string; readonly transactionId: string; readonly reviewer: string; readonly expiresAt: string }
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
  let state: ReviewState = { kind: 'open', ...ids };
  for (const e of stream) {
    if (e.type === REVIEW_RESOLVED) return { kind: 'resolved', ...ids, resolved: e.data as ReviewResolved };
    if (e.type === REVIEW_CLAIMED) {
      const claim = e.data as ReviewClaimed;
      state = { kind: 'claimed', ...ids, reviewer: claim.reviewer, expiresAt: claim.expiresAt };
    }
  }
  if (state.kind === 'claimed' && Date.parse(state.expiresAt) <= now.getTime()) return { kind: 'open', ...ids };
  return state;
}

export type ReviewRefusal =
  | { readonly refused: 'not-for-review' }
  | { readonly refused: 'resolved'; readonly resolved: ReviewResolved }
  | { readonly refused: 'claimed-by-other'; readonly reviewer: string; readonly expiresAt: string };

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
 * Resolve. An open review may be resolved without a claim; a claim held by someone else, or an earlier resolution,
 * refuses it.
 */
export function decideResolution(state: ReviewState, reviewer: string, resolution: LabelValue, note: string | undefined, now: Date): ReviewResolved | ReviewRefusal {
  if (state.kind === 'not-for-review') return { refused: 'not-for-review' };
  if (state.kind === 'resolved') return { refused: 'resolved', resolved: state.resolved };
  if (state.kind === 'claimed' && state.reviewer !== reviewer) return { refused: 'claimed-by-other', reviewer: state.reviewer, expiresAt: state.expiresAt };
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
