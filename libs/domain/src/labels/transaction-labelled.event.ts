import { decisionIdFor, uuidV5 } from '../deterministic-id';

/**
 * TransactionLabelled: what became known about a transaction after its decision (a chargeback, a reviewer's
 * resolution, a customer's report). Appended to the decision's own stream, `decision-<transactionId>`, after the
 * DecisionMade. Labels are never changed or removed: a later one supersedes an earlier one "as known at" its
 * `reportedAt`, and every one is kept. The type name is part of the stored format: never rename it.
 */
export const TRANSACTION_LABELLED = 'TransactionLabelled' as const;

export const LABEL_VALUES = ['fraud', 'legitimate'] as const;
export type LabelValue = (typeof LABEL_VALUES)[number];

export const LABEL_SOURCES = ['chargeback', 'review', 'customer-report', 'manual'] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];

export interface TransactionLabelledV1 {
  readonly schemaVersion: 1;
  /** The caller's id for the label, unique within its transaction: the same labelId again is the same label. */
  readonly labelId: string;
  readonly transactionId: string;
  readonly decisionId: string;
  readonly label: LabelValue;
  readonly source: LabelSource;
  /** When it became known (ISO-8601): every "as of T" figure counts a label only from this instant on. */
  readonly reportedAt: string;
  /** The amount the label concerns, when not the whole transaction's. */
  readonly amount?: number;
  readonly note?: string;
  /** Who recorded it (the caller's actor, or `review:<reviewer>` for a review's label). */
  readonly recordedBy: string;
}

/**
 * Version 2 adds the labelled transaction's terminal, copied from its decision, so that the history can count a
 * terminal's fraud labels from the log alone (`merchant_fraud_labels_28d`) without looking the decision up.
 */
export interface TransactionLabelledV2 extends Omit<TransactionLabelledV1, 'schemaVersion'> {
  readonly schemaVersion: 2;
  /** The labelled transaction's merchantId; absent on labels recorded before version 2. */
  readonly merchantId?: string;
}

export type TransactionLabelled = TransactionLabelledV2;

/**
 * Reads any stored version. Labels written before any schema (tests and hand-appended events) carried neither
 * schemaVersion nor the ids; the stream supplies those. Version 1 lacks the terminal: it stays absent.
 */
export function upcastTransactionLabelled(data: unknown, transactionId: string): TransactionLabelled {
  const e = data as Partial<TransactionLabelledV1 | TransactionLabelledV2> & { schemaVersion?: unknown };
  if (e.schemaVersion === 2) return e as TransactionLabelledV2;
  if (e.schemaVersion === 1) return { ...(e as TransactionLabelledV1), schemaVersion: 2 };
  if (e.schemaVersion !== undefined) throw new RangeError(`TransactionLabelled schema version ${String(e.schemaVersion)} is newer than this build`);
  return {
    ...(e as Omit<TransactionLabelledV1, 'schemaVersion' | 'transactionId' | 'decisionId' | 'recordedBy'>),
    schemaVersion: 2,
    transactionId,
    decisionId: decisionIdFor(transactionId),
    recordedBy: (e as { recordedBy?: string }).recordedBy ?? 'unknown',
  };
}

/** The event id of a label: deterministic, so a retry carries the same id and stores' duplicate checks apply too. */
export const labelEventIdFor = (transactionId: string, labelId: string): string => uuidV5(`label:${JSON.stringify([transactionId, labelId])}`);
