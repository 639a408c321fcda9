/**
 * TransactionLabelled: what became known about a transaction after its decision (a chargeback, an analyst's
 * verdict). Appended to the decision's own stream, `decision-<transactionId>`, after the DecisionMade. The type name
 * is part of the stored format: never rename it.
 */
export const TRANSACTION_LABELLED = 'TransactionLabelled' as const;

export interface TransactionLabelledV1 {
  readonly labelId: string;
  readonly label: 'fraud' | 'legitimate';
  /** Who reported it (e.g. `chargeback`, `analyst:<name>`). */
  readonly source: string;
  readonly reportedAt: string;
  /** The amount the label concerns, when not the whole transaction's. */
  readonly amount?: number;
  readonly note?: string;
}
