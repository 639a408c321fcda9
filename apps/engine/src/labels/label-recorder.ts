import { Inject, Injectable } from '@nestjs/common';
import {
  DECISION_MADE,
  decisionIdFor,
  decisionStreamId,
  labelEventIdFor,
  labelOutcome,
  TRANSACTION_LABELLED,
  upcastDecisionMade,
  upcastTransactionLabelled,
  type LabelRequest,
  type TransactionLabelled,
} from '@verdict/domain';
import { WrongExpectedRevisionError, type EventData, type EventStore, type RecordedEvent } from '@verdict/event-store';
import { EVENT_STORE } from '../infrastructure/tokens';

/** What recording one label came to. `recorded` is the label as stored (the earlier one for a repeat or a conflict). */
export type LabelResult =
  | { readonly status: 201 | 200; readonly label: TransactionLabelled }
  | { readonly status: 404; readonly transactionId: string }
  | { readonly status: 409; readonly label: TransactionLabelled };

/** Labels per append: ~1 KB each at most, well under EventStoreDB's 1 MiB maximum append size. */
const LABELS_PER_APPEND = 500;

/** Appends racing on one stream (another label, a review) are re-read and re-decided this many times. */
const ATTEMPTS = 8;

export class LabelContentionError extends Error {
  constructor(readonly transactionId: string) {
    super(`Labels for transaction "${transactionId}" kept racing with other appends to its stream`);
    this.name = 'LabelContentionError';
  }
}

/** The labels a transaction's stream holds, upcast, in stream order. */
export const labelsIn = (stream: readonly RecordedEvent[], transactionId: string): TransactionLabelled[] =>
  stream.filter((e) => e.type === TRANSACTION_LABELLED).map((e) => upcastTransactionLabelled(e.data, transactionId));

/** The terminal of the transaction whose stream opens with `decision`, which every label of it carries. */
export const merchantOf = (decision: RecordedEvent): string => upcastDecisionMade(decision.data).request.merchantId;

export const labelEvent = (label: TransactionLabelled): EventData => ({
  id: labelEventIdFor(label.transactionId, label.labelId),
  type: TRANSACTION_LABELLED,
  data: { ...label },
  metadata: { schemaVersion: label.schemaVersion },
});

/**
 * Records labels on their transaction's stream, `decision-<transactionId>`: read the stream, decide each label
 * against the labels already there (new, repeat, conflict), append the new ones in one append with the stream's
 * revision expected. A race with another append is re-read and decided again, so two callers can never both record
 * the same labelId, and a label never lands on a transaction without a decision.
 */
@Injectable()
export class LabelRecorder {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Several labels for one transaction, in order (a later one in the list sees the earlier ones). */
  async record(transactionId: string, requests: readonly LabelRequest[], recordedBy: string): Promise<LabelResult[]> {
    const streamId = decisionStreamId(transactionId);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const stream = await this.store.readStream(streamId);
      if (stream[0]?.type !== DECISION_MADE) return requests.map(() => ({ status: 404, transactionId }));
      const known = labelsIn(stream, transactionId);
      const merchantId = merchantOf(stream[0]);
      const fresh: TransactionLabelled[] = [];
      const results = requests.map((request): LabelResult => {
        const outcome = labelOutcome(request, [...known, ...fresh]);
        if (outcome.kind === 'repeat') return { status: 200, label: outcome.existing };
        if (outcome.kind === 'conflict') return { status: 409, label: outcome.existing };
        const label = this.toLabel(transactionId, merchantId, request, recordedBy);
        fresh.push(label);
        return { status: 201, label };
      });
      if (fresh.length === 0) return results;
      try {
        await this.appendInParts(streamId, fresh, stream[stream.length - 1].revision);
        return results;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new LabelContentionError(transactionId);
  }

  /**
   * One append, or several in a row for many labels on one transaction: EventStoreDB refuses appends over its
   * maximum append size (1 MiB by default). A race after the first part re-reads; the parts already appended are
   * then repeats.
   */
  private async appendInParts(streamId: string, labels: readonly TransactionLabelled[], revision: bigint): Promise<void> {
    let expected = revision;
    for (let start = 0; start < labels.length; start += LABELS_PER_APPEND) {
      const result = await this.store.appendToStream(streamId, labels.slice(start, start + LABELS_PER_APPEND).map(labelEvent), { expectedRevision: expected });
      expected = result.nextExpectedRevision;
    }
  }

  /** The labels of a transaction, read from its stream (no read-model lag); null when it has no decision. */
  async labelsOf(transactionId: string): Promise<TransactionLabelled[] | null> {
    const stream = await this.store.readStream(decisionStreamId(transactionId));
    return stream[0]?.type === DECISION_MADE ? labelsIn(stream, transactionId) : null;
  }

  private toLabel(transactionId: string, merchantId: string, request: LabelRequest, recordedBy: string): TransactionLabelled {
    return {
      schemaVersion: 2,
      labelId: request.labelId,
      transactionId,
      decisionId: decisionIdFor(transactionId),
      merchantId,
      label: request.label,
      source: request.source,
      reportedAt: new Date(request.reportedAt).toISOString(),
      ...(request.amount === undefined ? {} : { amount: request.amount }),
      ...(request.note === undefined ? {} : { note: request.note }),
      recordedBy,
    };
  }
}
