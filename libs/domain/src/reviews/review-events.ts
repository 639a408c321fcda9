import type { LabelValue } from '../labels/transaction-labelled.event';

/**
 * The review of a decision whose outcome was `review`. Both events go to the decision's own stream,
 * `decision-<transactionId>`, so that a claim, a resolution and its label are decided against one stream revision and
 * the resolution and its label are one atomic append. The type names are part of the stored format.
 */
export const REVIEW_CLAIMED = 'ReviewClaimed' as const;
export const REVIEW_RESOLVED = 'ReviewResolved' as const;

/** A reviewer took the decision; the claim lapses at `expiresAt` and the decision returns to the queue. */
export interface ReviewClaimedV1 {
  readonly schemaVersion: 1;
  readonly decisionId: string;
  readonly transactionId: string;
  readonly reviewer: string;
  readonly claimedAt: string;
  readonly expiresAt: string;
}

/** A reviewer's verdict. Appended together with the TransactionLabelled (source `review`) it names by `labelId`. */
export interface ReviewResolvedV1 {
  readonly schemaVersion: 1;
  readonly decisionId: string;
  readonly transactionId: string;
  readonly reviewer: string;
  readonly resolution: LabelValue;
  readonly note?: string;
  readonly resolvedAt: string;
  readonly labelId: string;
}

export type ReviewClaimed = ReviewClaimedV1;
export type ReviewResolved = ReviewResolvedV1;

/**
 * Label ids starting with this are the review queue's: a client may not choose one (label-request.ts), since a label's
 * event id derives from its labelId and a client's `review-<decisionId>` would take the id of that review's label.
 */
export const REVIEW_LABEL_ID_PREFIX = 'review-';

/** The labelId of a review's label: one per decision, so a resolution's label can never be recorded twice. */
export const reviewLabelId = (decisionId: string): string => `${REVIEW_LABEL_ID_PREFIX}${decisionId}`;
