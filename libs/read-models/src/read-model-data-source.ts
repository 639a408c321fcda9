import { AlertRecord } from './entities/alert-record.entity';
import { LabelRecord } from './entities/label-record.entity';
import { ReviewRecord } from './entities/review-record.entity';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DataSource, MigrationExecutor } from 'typeorm';
import { createSchemaIfAbsent } from '@verdict/event-store/postgres/postgres-schema';
import { POSTGRES_READ_MODEL_MIGRATIONS, SQLITE_READ_MODEL_MIGRATIONS } from '../../../migrations';
import { DecisionRecord } from './entities/decision-record.entity';
import { DeploymentHistoryRecord } from './entities/deployment-history-record.entity';
import { DriftBinningRecord } from './entities/drift-binning-record.entity';
import { DriftWindowRecord } from './entities/drift-window-record.entity';
import { DeferredIndexRecord } from './entities/deferred-index-record.entity';
import { restoreDeferredIndexes } from './rebuild/deferred-indexes';
import { ModelVersionRecord } from './entities/model-version-record.entity';
import { ProjectionCheckpoint } from './entities/projection-checkpoint.entity';
import { ErasedKeyRecord } from './entities/erased-key-record.entity';
import { ReadModelConfigError } from './read-model.errors';

export interface ReadModelDataSourceConfig {
  readonly kind: 'sqlite' | 'postgres';
  /** sqlite: a file path (its directory is created); postgres: a postgres:// URL. */
  readonly url: string;
  /** PostgreSQL: schema for the tables (created if missing; default: the search_path). Ignored by SQLite. */
  readonly schema?: string;
}

export const READ_MODEL_ENTITIES = [
  DecisionRecord,
  ProjectionCheckpoint,
  ModelVersionRecord,
  DeploymentHistoryRecord,
  LabelRecord,
  ReviewRecord,
  AlertRecord,
  DriftBinningRecord,
  DriftWindowRecord,
  DeferredIndexRecord,
  ErasedKeyRecord,
];
export const READ_MODEL_MIGRATIONS_TABLE = 'read_model_migrations';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Serialises migrations of processes starting together (engine and projector) on one PostgreSQL database. */
const MIGRATION_LOCK_KEY = 0x7665_7264; // "verd"

/**
 * An initialised DataSource for the read models with every pending migration applied. The schema comes only from
 * the migrations in /migrations/<dialect>; TypeORM never synchronises. The caller owns it (`destroy()` to close).
 */
export async function createReadModelDataSource(config: ReadModelDataSourceConfig): Promise<DataSource> {
  const dataSource = build(config);
  await dataSource.initialize();
  try {
    await migrate(dataSource, config);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

function build(config: ReadModelDataSourceConfig): DataSource {
  if (!config.url) throw new ReadModelConfigError('read model url is required');
  const common = {
    entities: READ_MODEL_ENTITIES,
    migrationsTableName: READ_MODEL_MIGRATIONS_TABLE,
    synchronize: false,
    // Migrations run in migrate() below: PostgreSQL needs its schema and lock first.
    migrationsRun: false,
    logging: false,
  } as const;
  if (config.kind === 'sqlite') {
    if (config.url !== ':memory:') mkdirSync(path.dirname(path.resolve(config.url)), { recursive: true });
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: config.url,
      migrations: SQLITE_READ_MODEL_MIGRATIONS,
      enableWAL: true,
      timeout: 10_000,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        // TypeORM's driver sets only foreign_keys=ON and (enableWAL) journal_mode=WAL, after this hook, leaving
        // SQLite's default synchronous=FULL: an fsync per commit on the engine's event loop. In WAL mode NORMAL stays
        // consistent after a crash and only a power cut can lose the last commits; rows commit with their checkpoint
        // and the projection skips what it already has, so it simply re-applies those batches from the older checkpoint.
        // The setting survives the later switch to WAL (read-model-data-source.spec checks it).
        db.pragma('synchronous = NORMAL');
      },
    });
  }
  if (config.kind === 'postgres') {
    if (config.schema !== undefined && !SCHEMA_NAME.test(config.schema)) {
      throw new ReadModelConfigError(`schema must match ${SCHEMA_NAME.source}, got "${config.schema}"`);
    }
    return new DataSource({
      ...common,
      type: 'postgres',
      url: config.url,
      schema: config.schema,
      migrations: POSTGRES_READ_MODEL_MIGRATIONS,
      applicationName: 'verdict-read-models',
      poolSize: 10,
    });
  }
  throw new ReadModelConfigError(`unknown read model kind "${String((config as { kind: unknown }).kind)}"`);
}

async function migrate(dataSource: DataSource, config: ReadModelDataSourceConfig): Promise<void> {
  if (config.kind === 'sqlite') {
    await dataSource.runMigrations({ transaction: 'all' });
    await restoreDeferredIndexes(dataSource);
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      if (config.schema) {
        await runner.startTransaction();
        try {
          await createSchemaIfAbsent(runner, config.schema);
          await runner.commitTransaction();
        } catch (error) {
          await runner.rollbackTransaction();
          throw error;
        }
      }
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      await executor.executePendingMigrations();
      // Under the same lock: two processes starting together must not both build a deferred index.
      await restoreDeferredIndexes(dataSource);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
