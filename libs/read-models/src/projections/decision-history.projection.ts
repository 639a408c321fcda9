import { DECISION_MADE, upcastDecisionMade, type DecisionMade } from '@verdict/domain/decision-made.event';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { DecisionRecord } from '../entities/decision-record.entity';
import { UnsupportedEventSchemaError } from '../read-model.errors';
import { bigintParam, dialectOf, param, tableOf, timestampParam, type ReadModelDialect } from '../sql-dialect';
import type { Projection } from './projection';

const COLUMNS = [
  'decision_id', 'transaction_id', 'stream_id', 'position', 'card_id', 'customer_id', 'merchant_id', 'amount',
  'currency', 'channel', 'country', 'outcome', 'score', 'model_name', 'model_version', 'model_sha256',
  'policy_version', 'occurred_at', 'decided_at', 'recorded_at', 'arm', 'deployment_revision',
] as const;

/** Rows per INSERT: keeps parameters (22 per row) well under SQLite's 32766 and PostgreSQL's 65535. */
const ROWS_PER_STATEMENT = 200;

/** decision_history: one row per DecisionMade (any schema version, read through the upcaster), keyed by decision id. */
export class DecisionHistoryProjection implements Projection {
  static readonly NAME = 'decision-history';
  readonly name = DecisionHistoryProjection.NAME;
  readonly version = 1;
  readonly canHandle = [DECISION_MADE] as const;

  async handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    const rows = events.map((event) => this.row(event, dialect));
    const table = tableOf(manager, DecisionRecord);
    const columns = COLUMNS.map((c) => `"${c}"`).join(', ');
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      let n = 0;
      const values = chunk.map(() => `(${COLUMNS.map(() => param(dialect, ++n)).join(', ')})`).join(', ');
      // Conflict target is the decision id only: the same decision again is a no-op, but a DIFFERENT decision for an
      // already recorded transaction violates the unique key and stops the projection instead of vanishing.
      await manager.query(`INSERT INTO ${table} (${columns}) VALUES ${values} ON CONFLICT ("decision_id") DO NOTHING`, chunk.flat());
    }
  }

  async truncate(manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM ${tableOf(manager, DecisionRecord)}`);
  }

  private row(event: RecordedEvent, dialect: ReadModelDialect): unknown[] {
    let data: DecisionMade;
    try {
      data = upcastDecisionMade(event.data);
    } catch {
      throw new UnsupportedEventSchemaError(this.name, event.type, event.position, `schemaVersion ${String((event.data as { schemaVersion?: unknown }).schemaVersion)}`);
    }
    const request = data.request;
    if (!request || !data.model || !data.policy || !data.deployment) {
      throw new UnsupportedEventSchemaError(this.name, event.type, event.position, 'request, model, policy or deployment missing');
    }
    return [
      data.decisionId,
      data.transactionId,
      event.streamId,
      bigintParam(dialect, event.position),
      request.cardId,
      request.customerId ?? null,
      request.merchantId,
      request.amount,
      request.currency,
      request.channel ?? null,
      request.country ?? null,
      data.outcome,
      data.score,
      data.model.name,
      data.model.version,
      data.model.sha256,
      data.policy.version,
      timestampParam(dialect, instant(request.occurredAt, 'request.occurredAt', event, this.name)),
      timestampParam(dialect, instant(data.decidedAt, 'decidedAt', event, this.name)),
      timestampParam(dialect, event.recordedAt),
      data.deployment.arm,
      data.deployment.revision,
    ];
  }
}

function instant(value: string, field: string, event: RecordedEvent, projection: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UnsupportedEventSchemaError(projection, event.type, event.position, `${field} is not a date-time: "${value}"`);
  }
  return date;
}
