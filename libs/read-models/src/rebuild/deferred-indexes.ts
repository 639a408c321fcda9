import type { DataSource, EntityManager } from 'typeorm';
import { DeferredIndexRecord } from '../entities/deferred-index-record.entity';
import { ProjectionCheckpoint } from '../entities/projection-checkpoint.entity';
import { dialectOf, param, tableOf } from '../sql-dialect';

/**
 * Indexes the rebuild's own writes read by: without the subject index each SubjectErased would scan decision_history
 * (one full scan per erasure in the log, instead of one index insert per decision).
 */
export const KEPT_DURING_REBUILD: readonly string[] = ['ix_decision_history_subject'];

interface IndexDefinition {
  readonly name: string;
  readonly definition: string;
}

/**
 * Drops the non-unique indexes of every read-model table and lists them in `read_model_deferred_indexes`, in the
 * caller's transaction (the rebuild's truncation). Loading rows without them and building each index once afterwards
 * took SQLite's rebuild from 19.6 s to 13.3 s (docs/benchmarks.md). Unique indexes stay: they are constraints the
 * projections rely on; so do the indexes in KEPT_DURING_REBUILD. Returns how many were dropped.
 */
export async function deferSecondaryIndexes(manager: EntityManager): Promise<number> {
  const indexes = await secondaryIndexes(manager);
  const dialect = dialectOf(manager);
  const schema = schemaOf(manager);
  const table = tableOf(manager, DeferredIndexRecord);
  for (const index of indexes) {
    await manager.query(`INSERT INTO ${table} ("name", "definition") VALUES (${param(dialect, 1)}, ${param(dialect, 2)})`, [index.name, index.definition]);
    await manager.query(`DROP INDEX ${schema && dialect === 'postgres' ? `"${schema}".` : ''}"${index.name}"`);
  }
  return indexes.length;
}

/**
 * Builds every index listed in `read_model_deferred_indexes` and empties the list, in one transaction. The rebuild
 * calls it when it ends (also when it fails); opening the read models calls it too, so a rebuild killed half-way
 * leaves no table without its indexes once anything opens them again.
 */
export async function restoreDeferredIndexes(dataSource: DataSource): Promise<number> {
  return dataSource.transaction(async (manager) => {
    const table = tableOf(manager, DeferredIndexRecord);
    const rows: IndexDefinition[] = await manager.query(`SELECT "name", "definition" FROM ${table} ORDER BY "name"`);
    for (const row of rows) {
      // IF NOT EXISTS: an index built again by hand, or by a process that restored first, is not an error.
      await manager.query(row.definition.replace(/^\s*CREATE\s+INDEX\s+(IF\s+NOT\s+EXISTS\s+)?/i, 'CREATE INDEX IF NOT EXISTS '));
    }
    if (rows.length > 0) await manager.query(`DELETE FROM ${table}`);
    return rows.length;
  });
}

async function secondaryIndexes(manager: EntityManager): Promise<IndexDefinition[]> {
  return (await allSecondaryIndexes(manager)).filter((index) => !KEPT_DURING_REBUILD.includes(index.name));
}

async function allSecondaryIndexes(manager: EntityManager): Promise<IndexDefinition[]> {
  const excluded = new Set([ProjectionCheckpoint, DeferredIndexRecord].map((entity) => manager.connection.getMetadata(entity).tableName));
  const tables = manager.connection.entityMetadatas.map((m) => m.tableName).filter((name) => !excluded.has(name));
  if (dialectOf(manager) === 'postgres') {
    return manager.query(
      `SELECT i.relname AS "name", pg_get_indexdef(i.oid) AS "definition"
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = COALESCE($1, current_schema()) AND t.relname::text = ANY($2::text[])
          AND NOT x.indisunique AND NOT x.indisprimary
        ORDER BY i.relname`,
      [schemaOf(manager) ?? null, tables],
    );
  }
  // origin 'c': made by CREATE INDEX (not a PRIMARY KEY or UNIQUE constraint's automatic index).
  return manager.query(
    `SELECT m.name AS "name", m.sql AS "definition"
       FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name
      WHERE m.type = 'index' AND l."unique" = 0 AND l.origin = 'c' AND m.tbl_name IN (${tables.map(() => '?').join(', ')})
      ORDER BY m.name`,
    tables,
  );
}

function schemaOf(manager: EntityManager): string | undefined {
  return (manager.connection.options as { schema?: string }).schema;
}
