import path from 'node:path';
import { getMetadataArgsStorage, type DataSource } from 'typeorm';
import { DecisionHistoryProjection } from './projections/decision-history.projection';
import { applyProjectionBatch } from './projections/apply-projection-batch';
import { DecisionQueries } from './queries/decision-queries';
import { decodeDecisionCursor } from './queries/decision-cursor';
import { createReadModelDataSource, READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS_TABLE } from './read-model-data-source';
import { ReadModelConfigError, ReadModelErrorCode, UnsupportedEventSchemaError } from './read-model.errors';
import { DecisionMadeFixture } from './testing/decision-made.fixture';
import { secondaryIndexNames } from './testing/read-model-test-helpers';
import { dropSchemas } from '@verdict/event-store/postgres/testing/postgres-test-database';
import { readModelTestTargets, TEST_PG_URL, type TestReadModel } from './testing/read-model-test-targets';

async function tableNames(ds: DataSource, schema?: string): Promise<string[]> {
  const rows: Array<{ name: string }> =
    ds.options.type === 'postgres'
      ? await ds.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1`, [schema])
      : await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  return rows.map((r) => r.name).sort();
}

describe.each(readModelTestTargets())('read model data source on $kind', (target) => {
  let model: TestReadModel;
  beforeEach(async () => {
    model = await target.open();
  });
  afterEach(async () => {
    await model.dispose();
  });

  it('creates the schema on an empty database from the migrations alone', async () => {
    const ds = model.dataSource;
    // Every entity's table, made by the migrations alone (synchronize is off), and nothing else.
    expect(await tableNames(ds, model.config.schema)).toEqual(ALL_TABLES);
    const applied: Array<{ name: string }> = await ds.query(
      `SELECT name FROM ${model.config.schema ? `"${model.config.schema}".` : ''}"${READ_MODEL_MIGRATIONS_TABLE}"`,
    );
    expect(applied.map((r) => r.name)).toEqual(ds.migrations.map((m) => m.name));
    expect(applied[0].name).toBe('CreateReadModels1767225600000');
    expect(await ds.showMigrations()).toBe(false);
    expect(ds.options.synchronize).toBe(false);
  });

  it('opens an already migrated database without applying anything again', async () => {
    const ds = await model.restart();
    expect(await ds.showMigrations()).toBe(false);
    expect(await tableNames(ds, model.config.schema)).toEqual(ALL_TABLES);
  });

  it('upgrades a database migrated before subject_ref: the column and its index are added, existing rows get null', async () => {
    const fixture = new DecisionMadeFixture();
    await applyProjectionBatch(model.dataSource, new DecisionHistoryProjection(), [fixture.recorded(1n)], 0n);
    await model.dataSource.undoLastMigration({ transaction: 'all' }); // TransactionIdNotUnique
    await model.dataSource.undoLastMigration({ transaction: 'all' }); // ErasedKeys
    await model.dataSource.undoLastMigration({ transaction: 'all' }); // SubjectRefs
    expect(await secondaryIndexNames(model)).not.toContain('ix_decision_history_subject');
    const ds = await model.restart();
    expect(await ds.showMigrations()).toBe(false);
    expect(await secondaryIndexNames(model)).toContain('ix_decision_history_subject');
    const table = `${model.config.schema ? `"${model.config.schema}".` : ''}"decision_history"`;
    expect(await ds.query(`SELECT "subject_ref" FROM ${table}`)).toEqual([{ subject_ref: null }]);
    await applyProjectionBatch(ds, new DecisionHistoryProjection(), [fixture.recorded(2n, { subject: { ref: 'ps_s' } })], 1n);
    expect(await ds.query(`SELECT "subject_ref" FROM ${table} ORDER BY "position"`)).toEqual([{ subject_ref: null }, { subject_ref: 'ps_s' }]);
  });

  it('upgrades a database migrated before erased keys: key_id and erased_subject_keys are added, existing rows get null', async () => {
    const fixture = new DecisionMadeFixture();
    await applyProjectionBatch(model.dataSource, new DecisionHistoryProjection(), [fixture.recorded(1n, { subject: { ref: 'ps_s' } })], 0n);
    await model.dataSource.undoLastMigration({ transaction: 'all' }); // TransactionIdNotUnique
    await model.dataSource.undoLastMigration({ transaction: 'all' }); // ErasedKeys
    expect(await tableNames(model.dataSource, model.config.schema)).not.toContain('erased_subject_keys');
    const ds = await model.restart();
    expect(await ds.showMigrations()).toBe(false);
    expect(await tableNames(ds, model.config.schema)).toEqual(ALL_TABLES);
    const table = `${model.config.schema ? `"${model.config.schema}".` : ''}"decision_history"`;
    await applyProjectionBatch(ds, new DecisionHistoryProjection(), [fixture.recorded(2n, { subject: { ref: 'ps_s', keyId: 'k-2' } })], 1n);
    expect(await ds.query(`SELECT "subject_ref", "key_id" FROM ${table} ORDER BY "position"`)).toEqual([
      { subject_ref: 'ps_s', key_id: null },
      { subject_ref: 'ps_s', key_id: 'k-2' },
    ]);
  });

  it('upgrades a database whose transaction ids were unique: the constraint goes, rows, indexes and the other constraints stay', async () => {
    const fixture = new DecisionMadeFixture();
    const events = [fixture.recorded(1n), fixture.recorded(2n, { subject: { ref: 'ps_s', keyId: 'k-2' } })];
    await applyProjectionBatch(model.dataSource, new DecisionHistoryProjection(), events, 0n);
    const table = `${model.config.schema ? `"${model.config.schema}".` : ''}"decision_history"`;
    const rows = async (ds: DataSource) => ds.query(`SELECT * FROM ${table} ORDER BY "position"`);
    const before = await rows(model.dataSource);
    const indexes = await secondaryIndexNames(model);
    expect(await uniqueColumns(model)).toEqual([['decision_id'], ['position']]);

    await model.dataSource.undoLastMigration({ transaction: 'all' }); // TransactionIdNotUnique: the constraint is back
    expect(await uniqueColumns(model)).toEqual([['decision_id'], ['position'], ['transaction_id']]);
    expect(await rows(model.dataSource)).toEqual(before);
    expect(await secondaryIndexNames(model)).toEqual(indexes);
    const ds = await model.restart();
    expect(await ds.showMigrations()).toBe(false);
    expect(await uniqueColumns(model)).toEqual([['decision_id'], ['position']]);
    expect(await rows(ds)).toEqual(before);
    expect(await secondaryIndexNames(model)).toEqual(indexes);
    if (model.kind === 'sqlite') {
      const [{ sql }]: Array<{ sql: string }> = await ds.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'decision_history'`);
      expect(sql).toContain('ck_decision_history_outcome');
      expect(sql).toContain('ck_decision_history_position');
    }
    // A decision projected again is still ignored by its decision id.
    await applyProjectionBatch(ds, new DecisionHistoryProjection(), [events[0] as (typeof events)[number], fixture.recorded(3n)], 2n);
    expect((await rows(ds)).map((r: { position: unknown }) => String(r.position))).toEqual(['1', '2', '3']);
  });

  it('refuses a decision whose id is not derived from its transaction id: one row per transaction, without a unique key', async () => {
    const fixture = new DecisionMadeFixture();
    const first = fixture.recorded(1n);
    await applyProjectionBatch(model.dataSource, new DecisionHistoryProjection(), [first], 0n);
    const other = fixture.recorded(2n, { transactionId: String(first.data.transactionId) });
    const forged = { ...other, data: { ...other.data, decisionId: '00000000-0000-4000-8000-000000000002' } };
    await expect(applyProjectionBatch(model.dataSource, new DecisionHistoryProjection(), [forged], 1n)).rejects.toBeInstanceOf(UnsupportedEventSchemaError);
    const table = `${model.config.schema ? `"${model.config.schema}".` : ''}"decision_history"`;
    expect(await model.dataSource.query(`SELECT "decision_id" FROM ${table}`)).toEqual([{ decision_id: first.data.decisionId }]);
  });

  it('keeps positions exact beyond 2^53 (bigint end to end)', async () => {
    const fixture = new DecisionMadeFixture();
    const big = 9_007_199_254_740_993n; // 2^53 + 1: not representable as a double
    const top = 9_223_372_036_854_775_807n; // int8 max
    const events = [fixture.recorded(big), fixture.recorded(top)];
    const result = await applyProjectionBatch(model.dataSource, new DecisionHistoryProjection(), events, 0n);
    expect(result).toEqual({ checkpoint: top, applied: 2 });

    const queries = new DecisionQueries(model.dataSource);
    const location = await queries.findLocation(String(events[0].data.decisionId));
    expect(location?.position).toBe(big);
    const page = await queries.list({ limit: 1 });
    expect(page.items[0].position).toBe(top.toString());
    expect(decodeDecisionCursor(page.nextCursor!)).toBe(top);
    const next = await queries.list({ limit: 1, cursor: page.nextCursor! });
    expect(next.items.map((i) => i.position)).toEqual([big.toString()]);
    expect(next.nextCursor).toBeNull();
  });

  if (target.kind === 'sqlite') {
    it('runs SQLite in WAL mode', async () => {
      const [row]: Array<{ journal_mode: string }> = await model.dataSource.query('PRAGMA journal_mode');
      expect(row.journal_mode).toBe('wal');
      // NORMAL (1), not the default FULL (2): set before TypeORM switches to WAL, and kept by the switch.
      const [sync]: Array<{ synchronous: number }> = await model.dataSource.query('PRAGMA synchronous');
      expect(sync.synchronous).toBe(1);
    });

    it('creates missing directories and ignores the PostgreSQL schema option (config always carries one)', async () => {
      const file = path.join(path.dirname(model.config.url), 'nested', 'deeper', 'rm.sqlite');
      const ds = await createReadModelDataSource({ kind: 'sqlite', url: file, schema: 'verdict_read' });
      try {
        expect(await tableNames(ds)).toEqual(ALL_TABLES);
      } finally {
        await ds.destroy();
      }
    });
  }

  if (target.kind === 'postgres') {
    it('lets two processes migrate one new schema at the same time', async () => {
      const schema = `${model.config.schema}_race`;
      try {
        const both = await Promise.all([0, 1].map(() => createReadModelDataSource({ kind: 'postgres', url: TEST_PG_URL, schema })));
        for (const ds of both) expect(await tableNames(ds, schema)).toEqual(ALL_TABLES);
        await Promise.all(both.map((ds) => ds.destroy()));
      } finally {
        await dropSchemas(schema);
      }
    });
  }
});

/** The column lists of decision_history's unique indexes (its primary key's included), sorted. */
async function uniqueColumns(model: TestReadModel): Promise<string[][]> {
  const rows: Array<{ index: string; column: string }> =
    model.kind === 'postgres'
      ? await model.dataSource.query(
          `SELECT i.relname AS "index", a.attname AS "column" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
             JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (x.indkey)
           WHERE n.nspname = $1 AND t.relname = 'decision_history' AND x.indisunique`,
          [model.config.schema],
        )
      : await model.dataSource.query(
          `SELECT l.name AS "index", c.name AS "column" FROM pragma_index_list('decision_history') l JOIN pragma_index_info(l.name) c WHERE l."unique" = 1`,
        );
  const byIndex = new Map<string, string[]>();
  for (const r of rows) byIndex.set(r.index, [...(byIndex.get(r.index) ?? []), r.column]);
  return [...byIndex.values()].map((columns) => columns.sort()).sort((a, b) => a.join().localeCompare(b.join()));
}

const ALL_TABLES = [...READ_MODEL_ENTITIES.map((e) => getMetadataArgsStorage().tables.find((t) => t.target === e)!.name!), READ_MODEL_MIGRATIONS_TABLE].sort();

describe('read model config errors', () => {
  it('refuses an unsafe PostgreSQL schema name and an unknown kind, with a stable code', async () => {
    await expect(createReadModelDataSource({ kind: 'mysql' as never, url: 'x' })).rejects.toBeInstanceOf(ReadModelConfigError);
    await expect(createReadModelDataSource({ kind: 'postgres', url: TEST_PG_URL, schema: 'x"; DROP' })).rejects.toMatchObject({
      code: ReadModelErrorCode.InvalidConfig,
    });
  });
});
