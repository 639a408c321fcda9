import { TRANSACTION_LABELLED, upcastTransactionLabelled } from '@verdict/domain/labels/transaction-labelled.event';
import { DECISION_STREAM_PREFIX } from '@verdict/domain/decision-made.event';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { LabelRecord } from '../entities/label-record.entity';
import { UnsupportedEventSchemaError } from '../read-model.errors';
import { bigintParam, dialectOf, emptyTable, param, tableOf, timestampParam } from '../sql-dialect';
import type { Projection } from './projection';

const COLUMNS = ['transaction_id', 'label_id', 'decision_id', 'label', 'source', 'reported_at', 'amount', 'note', 'recorded_by', 'position'] as const;
const ROWS_PER_STATEMENT = 500;

/** transaction_labels: one row per TransactionLabelled, keyed by (transaction, labelId); a repeat is a no-op. */
export class LabelsProjection implements Projection {
  readonly name = 'transaction-labels';
  readonly version = 1;
  readonly canHandle = [TRANSACTION_LABELLED] as const;

  async handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    const table = tableOf(manager, LabelRecord);
    const rows = events.map((event) => {
      if (!event.streamId.startsWith(DECISION_STREAM_PREFIX)) {
        throw new UnsupportedEventSchemaError(this.name, event.type, event.position, `a label on stream "${event.streamId}"`);
      }
      let label;
      try {
        label = upcastTransactionLabelled(event.data, event.streamId.slice(DECISION_STREAM_PREFIX.length));
      } catch (error) {
        throw new UnsupportedEventSchemaError(this.name, event.type, event.position, (error as Error).message);
      }
      return [
        label.transactionId,
        label.labelId,
        label.decisionId,
        label.label,
        label.source,
        timestampParam(dialect, new Date(label.reportedAt)),
        label.amount ?? null,
        label.note ?? null,
        label.recordedBy,
        bigintParam(dialect, event.position),
      ];
    });
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      let n = 0;
      const values = chunk.map(() => `(${COLUMNS.map(() => param(dialect, ++n)).join(', ')})`).join(', ');
      await manager.query(
        `INSERT INTO ${table} (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${values} ON CONFLICT ("transaction_id", "label_id") DO NOTHING`,
        chunk.flat(),
      );
    }
  }

  async truncate(manager: EntityManager): Promise<void> {
    await emptyTable(manager, LabelRecord);
  }
}
