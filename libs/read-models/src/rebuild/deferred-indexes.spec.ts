import { randomUUID } from 'node:crypto';
import type { SqliteEventStore } from '@verdict/event-store/sqlite/sqlite-event-store';
import { DecisionMadeFixture } from '../testing/decision-made.fixture';
import { allDecisions, appendDecisions, openTestEventStore, secondaryIndexNames } from '../testing/read-model-test-helpers';
import { readModelTestTargets, type TestReadModel } from '../testing/read-model-test-targets';
import { deferSecondaryIndexes, KEPT_DURING_REBUILD } from './deferred-indexes';
import { rebuildReadModels } from './rebuild-read-models';

describe.each(readModelTestTargets())('deferred indexes on $kind', (target) => {
  let model: TestReadModel;
  let store: SqliteEventStore;
  let storePath: string;
  let disposeStore: () => Promise<void>;
  let indexes: string[];

  beforeEach(async () => {
    model = await target.open();
    ({ store, path: storePath, dispose: disposeStore } = await openTestEventStore());
    indexes = await secondaryIndexNames(model);
  });
  afterEach(async () => {
    await disposeStore();
    await model.dispose();
  });

  it('drops only non-unique indexes and lists each one', async () => {
    expect(indexes.length).toBeGreaterThanOrEqual(10);
    const uniqueBefore = await uniqueIndexCount(model);
    await model.dataSource.transaction((manager) => deferSecondaryIndexes(manager));
    expect(await secondaryIndexNames(model)).toEqual([...KEPT_DURING_REBUILD]);
    expect(await uniqueIndexCount(model)).toBe(uniqueBefore);
    const listed: { name: string }[] = await model.dataSource.query(`SELECT "name" FROM ${table(model)} ORDER BY "name"`);
    expect(listed.map((r) => r.name).sort()).toEqual(indexes.filter((name) => !KEPT_DURING_REBUILD.includes(name)));
  });

  it('builds the indexes a killed rebuild left deferred when the read models are opened again', async () => {
    await model.dataSource.transaction((manager) => deferSecondaryIndexes(manager));
    await model.restart();
    expect(await secondaryIndexNames(model)).toEqual(indexes);
    expect(await model.dataSource.query(`SELECT "name" FROM ${table(model)}`)).toEqual([]);
  });

  it.each([
    ['on this thread', false],
    ['prepared on a worker thread', true],
  ])('builds them again after a rebuild that fails part-way, and reports its error (%s)', async (_how, onWorker) => {
    await appendDecisions(store, new DecisionMadeFixture(), 12);
    await store.appendToStream(`decision-${randomUUID()}`, [{ id: randomUUID(), type: 'DecisionMade', data: { schemaVersion: 99 } }], {
      expectedRevision: 'no_stream',
    });
    await expect(
      rebuildReadModels({
        dataSource: model.dataSource,
        eventStore: store,
        batchSize: 5,
        ...(onWorker ? { worker: { store: { kind: 'sqlite' as const, url: storePath } } } : {}),
      }),
    ).rejects.toThrow(/schemaVersion 99/);
    expect(await allDecisions(model.dataSource)).toHaveLength(10); // the two full batches before the bad event
    expect(await secondaryIndexNames(model)).toEqual(indexes);
  });
});

function table(model: TestReadModel): string {
  return model.config.schema ? `"${model.config.schema}"."read_model_deferred_indexes"` : '"read_model_deferred_indexes"';
}

async function uniqueIndexCount(model: TestReadModel): Promise<number> {
  const rows: { n: number | string }[] =
    model.kind === 'postgres'
      ? await model.dataSource.query(
          `SELECT count(*) AS "n" FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = $1 AND x.indisunique`,
          [model.config.schema],
        )
      : await model.dataSource.query(`SELECT count(*) AS "n" FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name WHERE m.type = 'index' AND l."unique" = 1`);
  return Number(rows[0]?.n);
}
