import type { EntityManager } from 'typeorm';
import { ProjectionCheckpoint } from '../entities/projection-checkpoint.entity';
import { bigintParam, dialectOf, param, tableOf, timestampParam } from '../sql-dialect';

/** The projection's saved position (0n when it has none). Inside a transaction on PostgreSQL, locks the row. */
export async function readCheckpoint(manager: EntityManager, name: string, opts: { lock?: boolean } = {}): Promise<bigint> {
  const dialect = dialectOf(manager);
  const table = tableOf(manager, ProjectionCheckpoint);
  const forUpdate = opts.lock && dialect === 'postgres' ? ' FOR UPDATE' : '';
  // CAST: better-sqlite3 would return a JS number, exact only up to 2^53.
  const rows: Array<{ position: string }> = await manager.query(
    `SELECT CAST("position" AS TEXT) AS "position" FROM ${table} WHERE "name" = ${param(dialect, 1)}${forUpdate}`,
    [name],
  );
  return rows.length === 0 ? 0n : BigInt(rows[0].position);
}

export async function writeCheckpoint(manager: EntityManager, name: string, position: bigint): Promise<void> {
  const dialect = dialectOf(manager);
  const table = tableOf(manager, ProjectionCheckpoint);
  await manager.query(
    `INSERT INTO ${table} ("name", "position", "updated_at") VALUES (${param(dialect, 1)}, ${param(dialect, 2)}, ${param(dialect, 3)})
     ON CONFLICT ("name") DO UPDATE SET "position" = excluded."position", "updated_at" = excluded."updated_at"`,
    [name, bigintParam(dialect, position), timestampParam(dialect, new Date())],
  );
}

export async function deleteCheckpoint(manager: EntityManager, name: string): Promise<void> {
  const dialect = dialectOf(manager);
  await manager.query(`DELETE FROM ${tableOf(manager, ProjectionCheckpoint)} WHERE "name" = ${param(dialect, 1)}`, [name]);
}
