import { DECISION_MADE, upcastDecisionMade, type DecisionMade } from '@verdict/domain/decision-made.event';
import { decisionIdFor } from '@verdict/domain/deterministic-id';
import { ERASED, isPseudonym, PSEUDONYM_PREFIX } from '@verdict/domain/privacy/personal-fields';
import { readSubjectErased, SUBJECT_ERASED, type SubjectErased } from '@verdict/domain/privacy/subject-erased.event';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { DecisionRecord } from '../entities/decision-record.entity';
import { ErasedKeyRecord } from '../entities/erased-key-record.entity';
import { UnsupportedEventSchemaError } from '../read-model.errors';
import { bigintParam, dialectOf, emptyTable, param, postgresArrayLiteral, tableOf, timestampParam, type ReadModelDialect } from '../sql-dialect';
import type { PreparingProjection } from './projection';

const COLUMNS = [
  'decision_id', 'transaction_id', 'stream_id', 'position', 'card_id', 'customer_id', 'merchant_id', 'amount',
  'currency', 'channel', 'country', 'outcome', 'score', 'model_name', 'model_version', 'model_sha256',
  'policy_version', 'occurred_at', 'decided_at', 'recorded_at', 'arm', 'deployment_revision', 'subject_ref', 'key_id',
] as const;

/** PostgreSQL type of each column, in COLUMNS order: the element type of its unnest() array parameter. */
const POSTGRES_TYPES = [
  'varchar', 'varchar', 'varchar', 'bigint', 'varchar', 'varchar', 'varchar', 'float8',
  'varchar', 'varchar', 'varchar', 'varchar', 'float8', 'varchar', 'varchar', 'varchar',
  'varchar', 'timestamptz', 'timestamptz', 'timestamptz', 'varchar', 'integer', 'varchar', 'varchar',
] as const;

/** SQLite rows per INSERT: keeps parameters (24 per row) well under its limit of 32766. */
const SQLITE_ROWS_PER_STATEMENT = 200;

/** A SubjectErased of the batch: rows of the subject logged before it are blanked, and its keys remembered. */
export interface BatchErasure {
  readonly subjectRef: string;
  readonly keyIds: readonly string[];
  /** Decimal global position of the SubjectErased. */
  readonly position: string;
}

/**
 * A batch's rows: SQLite binds them row by row; PostgreSQL gets one array literal per column (postgresArrayLiteral),
 * built where the batch is prepared. Rows of a subject erased later in the same batch are blanked already.
 */
export type DecisionRows = ({ readonly rows: unknown[][] } | { readonly columns: string[] }) & {
  readonly erasures?: readonly BatchErasure[];
  /** Decimal positions of the batch's first and last rows sealed under a subject key: the rows checked for erased keys. */
  readonly keyed?: readonly [first: string, last: string];
};

const CARD = COLUMNS.indexOf('card_id');
const CUSTOMER = COLUMNS.indexOf('customer_id');
const SUBJECT = COLUMNS.indexOf('subject_ref');
const KEY = COLUMNS.indexOf('key_id');

/**
 * decision_history: one row per DecisionMade (any schema version, read through the upcaster), keyed by decision id.
 * A SubjectErased replaces the pseudonyms in the subject's earlier rows by ERASED (docs/security.md, "Erasure"), and
 * records its key ids in erased_subject_keys: a row sealed under one of them is blanked whenever it is logged, since
 * an instance that had not seen the erasure yet may append such a decision after it. The log holds all of it in order,
 * so a rebuild ends the same way.
 */
export class DecisionHistoryProjection implements PreparingProjection<DecisionRows> {
  static readonly NAME = 'decision-history';
  readonly name = DecisionHistoryProjection.NAME;
  /** 2: rows carry their key id, and erased keys are remembered (a rebuild fills both for older data). */
  readonly version = 2;
  readonly canHandle = [DECISION_MADE, SUBJECT_ERASED] as const;

  handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    return this.applyPrepared(this.prepare(events, dialectOf(manager)), manager);
  }

  /** One row of parameters per event, in COLUMNS order. */
  prepare(events: readonly RecordedEvent[], dialect: ReadModelDialect): DecisionRows {
    const rows: unknown[][] = [];
    const erasures: BatchErasure[] = [];
    let firstKeyed: string | undefined;
    let lastKeyed: string | undefined;
    for (const event of events) {
      if (event.type !== SUBJECT_ERASED) {
        const row = this.row(event, dialect);
        if (row[KEY] !== null) {
          firstKeyed ??= event.position.toString();
          lastKeyed = event.position.toString();
        }
        rows.push(row);
        continue;
      }
      const { subjectRef, keyIds } = this.erasure(event);
      erasures.push({ subjectRef, keyIds: keyIds ?? [], position: event.position.toString() });
      for (const row of rows) if (row[SUBJECT] === subjectRef) blank(row);
    }
    const more = { ...(erasures.length > 0 ? { erasures } : {}), ...(firstKeyed !== undefined && lastKeyed !== undefined ? { keyed: [firstKeyed, lastKeyed] as const } : {}) };
    if (dialect === 'sqlite') return { rows, ...more };
    return { columns: COLUMNS.map((_, i) => postgresArrayLiteral(rows.map((row) => row[i]))), ...more };
  }

  async applyPrepared(prepared: DecisionRows, manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    const table = tableOf(manager, DecisionRecord);
    const columns = COLUMNS.map((c) => `"${c}"`).join(', ');
    // Conflict target is the decision id: the same decision again is a no-op. A different decision for an already
    // recorded transaction cannot come here: prepare() refuses a decision id not derived from its transaction id.
    const onConflict = 'ON CONFLICT ("decision_id") DO NOTHING';
    if ('columns' in prepared) {
      if (dialect !== 'postgres') throw new TypeError('decision rows prepared for PostgreSQL, written to SQLite');
      // One statement of 24 array parameters, whatever the batch size: PostgreSQL parses and plans a multi-row
      // VALUES of 4,400 parameters at a cost that made it 2.9x slower per row (tools' rebuild measurement).
      const unnest = POSTGRES_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
      await manager.query(`INSERT INTO ${table} (${columns}) SELECT * FROM unnest(${unnest}) ${onConflict}`, prepared.columns);
    } else {
      const { rows } = prepared;
      for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + SQLITE_ROWS_PER_STATEMENT);
        let n = 0;
        const values = chunk.map(() => `(${COLUMNS.map(() => param(dialect, ++n)).join(', ')})`).join(', ');
        await manager.query(`INSERT INTO ${table} (${columns}) VALUES ${values} ${onConflict}`, chunk.flat());
      }
    }
    const pseudonym = (column: string) => `CASE WHEN substr("${column}", 1, ${PSEUDONYM_PREFIX.length}) = '${PSEUDONYM_PREFIX}' THEN '${ERASED}' ELSE "${column}" END`;
    const blanked = `UPDATE ${table} SET "card_id" = ${pseudonym('card_id')}, "customer_id" = ${pseudonym('customer_id')}`;
    const erasedKeys = tableOf(manager, ErasedKeyRecord);
    // Rows from earlier batches (and this one's, harmlessly again): only those logged before the erasure.
    for (const erasure of prepared.erasures ?? []) {
      const position = bigintParam(dialect, BigInt(erasure.position));
      for (const keyId of erasure.keyIds) {
        await manager.query(`INSERT INTO ${erasedKeys} ("key_id", "position") VALUES (${param(dialect, 1)}, ${param(dialect, 2)}) ON CONFLICT ("key_id") DO NOTHING`, [keyId, position]);
      }
      await manager.query(`${blanked} WHERE "subject_ref" = ${param(dialect, 1)} AND "position" < ${param(dialect, 2)}`, [erasure.subjectRef, position]);
    }
    // This batch's rows sealed under a key erased before them (or earlier in the batch): walks the batch's positions,
    // bounded on both ends so that no planner estimate (stale statistics after a rebuild's TRUNCATE) makes it a scan.
    if (prepared.keyed !== undefined) {
      await manager.query(`${blanked} WHERE "position" BETWEEN ${param(dialect, 1)} AND ${param(dialect, 2)} AND "key_id" IN (SELECT "key_id" FROM ${erasedKeys})`, [
        bigintParam(dialect, BigInt(prepared.keyed[0])),
        bigintParam(dialect, BigInt(prepared.keyed[1])),
      ]);
    }
  }

  async truncate(manager: EntityManager): Promise<void> {
    await emptyTable(manager, DecisionRecord);
    await emptyTable(manager, ErasedKeyRecord);
  }

  private erasure(event: RecordedEvent): SubjectErased {
    try {
      return readSubjectErased(event.data);
    } catch {
      throw new UnsupportedEventSchemaError(this.name, event.type, event.position, `schemaVersion ${String((event.data as { schemaVersion?: unknown }).schemaVersion)}`);
    }
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
    // One row per transaction rests on this: the key, the decision id, derives from the transaction id. A decision
    // that breaks it stops the projection instead of adding a second row for its transaction (the table has no
    // unique key on transaction_id since migration 1767916800000).
    if (data.decisionId !== decisionIdFor(data.transactionId)) {
      throw new UnsupportedEventSchemaError(this.name, event.type, event.position, `decision id ${data.decisionId} is not the one derived from transaction ${data.transactionId}`);
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
      data.personal?.subject ?? null,
      data.personal?.keyId ?? null,
    ];
  }
}

/** A row's personal columns as an erasure leaves them: pseudonyms become ERASED; tokens and older clear ids stay. */
function blank(row: unknown[]): void {
  if (isPseudonym(row[CARD])) row[CARD] = ERASED;
  if (isPseudonym(row[CUSTOMER])) row[CUSTOMER] = ERASED;
}

function instant(value: string, field: string, event: RecordedEvent, projection: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UnsupportedEventSchemaError(projection, event.type, event.position, `${field} is not a date-time: "${value}"`);
  }
  return date;
}
