import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { dropSchemas, probeTestDatabase, TEST_PG_URL } from '@verdict/event-store/postgres/testing/postgres-test-database';
import { createReadModelDataSource, type ReadModelDataSourceConfig } from '../read-model-data-source';

/** Test-only: real read-model databases — a SQLite file in a tmp dir, or a fresh schema in the test PostgreSQL. */
export { TEST_PG_URL };

export interface TestReadModel {
  readonly kind: 'sqlite' | 'postgres';
  readonly config: ReadModelDataSourceConfig;
  dataSource: DataSource;
  /** Closes the DataSource and opens a new one on the same database, as a restarted process would. */
  restart(): Promise<DataSource>;
  /** Closes and deletes the database (file or schema). */
  dispose(): Promise<void>;
}

export interface ReadModelTestTarget {
  readonly kind: 'sqlite' | 'postgres';
  /** Fresh, migrated, empty read models. */
  open(): Promise<TestReadModel>;
}

const runId = randomBytes(4).toString('hex');
let counter = 0;

/** One probe for every PostgreSQL test (synchronous; under CI an unreachable server fails instead of skipping). */
export const probeTestPostgres = probeTestDatabase;

export const sqliteTarget: ReadModelTestTarget = {
  kind: 'sqlite',
  async open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-rm-'));
    const config: ReadModelDataSourceConfig = { kind: 'sqlite', url: path.join(dir, 'read-models.sqlite') };
    return track(config, async () => rmSync(dir, { recursive: true, force: true }));
  },
};

export const postgresTarget: ReadModelTestTarget = {
  kind: 'postgres',
  async open() {
    counter += 1;
    const schema = `verdict_t_${runId}_${counter}`;
    const config: ReadModelDataSourceConfig = { kind: 'postgres', url: TEST_PG_URL, schema };
    return track(config, () => dropSchemas(schema));
  },
};

/** The targets every shared read-model suite runs against; PostgreSQL is left out (with a printed reason) only off CI. */
export function readModelTestTargets(): ReadModelTestTarget[] {
  const pg = probeTestPostgres();
  if (!pg.available) {
    console.warn(`Skipping PostgreSQL read-model tests. ${pg.reason}`);
    return [sqliteTarget];
  }
  return [sqliteTarget, postgresTarget];
}

async function track(config: ReadModelDataSourceConfig, remove: () => Promise<void>): Promise<TestReadModel> {
  const model: TestReadModel = {
    kind: config.kind,
    config,
    dataSource: await createReadModelDataSource(config),
    async restart() {
      if (model.dataSource.isInitialized) await model.dataSource.destroy();
      model.dataSource = await createReadModelDataSource(config);
      return model.dataSource;
    },
    async dispose() {
      if (model.dataSource.isInitialized) await model.dataSource.destroy();
      await remove();
    },
  };
  return model;
}

