import type { DataSource } from 'typeorm';
import { dialectOf } from './sql-dialect';

const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` alone on the DataSource when it is SQLite. TypeORM's better-sqlite3 driver has ONE connection and
 * ONE query runner: two concurrent `transaction()` calls nest as savepoints, and a read issued while a projection's
 * transaction is open sees its uncommitted rows. Serialising every read-model access per DataSource restores
 * isolation. PostgreSQL pools connections, so work runs directly. Not re-entrant: never nest calls.
 */
export function runExclusive<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dialectOf(dataSource) === 'postgres') return work();
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const result = previous.then(work);
  queues.set(
    dataSource,
    result.catch(() => undefined),
  );
  return result;
}
