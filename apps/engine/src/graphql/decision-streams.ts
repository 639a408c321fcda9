import { Inject, Injectable } from '@nestjs/common';
import { DECISION_MADE, decisionStreamId, TRANSACTION_LABELLED, upcastTransactionLabelled, type TransactionLabelled } from '@verdict/domain';
import type { EventStore, RecordedEvent } from '@verdict/event-store';
import { storedAuditRecord, type DecisionAuditRecord } from '../decisions/decision-audit-record';
import { EVENT_STORE } from '../infrastructure/tokens';

/** A transaction's stream, `decision-<transactionId>`: its DecisionMade and the labels appended after it. */
export interface DecisionStream {
  /** null when no decision has been recorded for the transaction. As stored: the fields read from it are not personal. */
  readonly record: DecisionAuditRecord | null;
  /** TransactionLabelled events in stream order, upcast (later ones supersede earlier ones; all are kept). */
  readonly labels: readonly TransactionLabelled[];
}

/**
 * Reads many transactions' streams in one call, answers in the order asked: each stream, or the error that reading it
 * (or its DecisionMade) failed with, so one bad stream fails only the fields that need it.
 */
export interface DecisionStreamsPort {
  read(transactionIds: readonly string[]): Promise<(DecisionStream | Error)[]>;
}

export function toDecisionStream(transactionId: string, events: readonly RecordedEvent[]): DecisionStream {
  const first = events[0];
  return {
    record: first && first.type === DECISION_MADE ? storedAuditRecord(first) : null,
    labels: events.filter((e) => e.type === TRANSACTION_LABELLED).map((e) => upcastTransactionLabelled(e.data, transactionId)),
  };
}

/**
 * From the event store, as the decision context does. The port has no multi-stream read, so a batch is one indexed
 * stream read per transaction, issued together.
 */
@Injectable()
export class EventStoreDecisionStreams implements DecisionStreamsPort {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  read(transactionIds: readonly string[]): Promise<(DecisionStream | Error)[]> {
    return Promise.all(
      transactionIds.map(async (id) => {
        try {
          return toDecisionStream(id, await this.store.readStream(decisionStreamId(id)));
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }
}
