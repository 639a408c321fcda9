import Database from 'better-sqlite3';

/** The few calls the event store's writer makes, so one workload runs on either SQLite binding. */
export interface SqliteDriver {
  readonly name: DriverName;
  /** The SQLite library version the binding carries (they differ: each binding bundles its own). */
  readonly sqliteVersion: string;
  exec(sql: string): void;
  prepare(sql: string): DriverStatement;
  pragma(name: string): unknown;
  close(): void;
}

export interface DriverStatement {
  get(...params: unknown[]): Record<string, unknown> | undefined;
  run(...params: unknown[]): { lastInsertRowid: number | bigint };
}

export type DriverName = 'better-sqlite3' | 'node:sqlite';
export const DRIVER_NAMES: readonly DriverName[] = ['better-sqlite3', 'node:sqlite'];

function openBetterSqlite3(path: string): SqliteDriver {
  const db = new Database(path, { timeout: 5000 });
  return {
    name: 'better-sqlite3',
    sqliteVersion: String((db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v),
    exec: (sql) => void db.exec(sql),
    prepare: (sql) => {
      const statement = db.prepare(sql).safeIntegers(true);
      return {
        get: (...params) => statement.get(...params) as Record<string, unknown> | undefined,
        run: (...params) => statement.run(...params),
      };
    },
    pragma: (name) => db.pragma(name, { simple: true }),
    close: () => db.close(),
  };
}

function openNodeSqlite(path: string): SqliteDriver {
  // Required lazily: on Node 22 loading it prints an ExperimentalWarning, and only this candidate needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
  const db = new DatabaseSync(path, { timeout: 5000 } as ConstructorParameters<typeof DatabaseSync>[1]);
  const prepare = (sql: string): DriverStatement => {
    const statement = db.prepare(sql);
    statement.setReadBigInts(true);
    return {
      get: (...params) => statement.get(...(params as never[])) as Record<string, unknown> | undefined,
      run: (...params) => statement.run(...(params as never[])),
    };
  };
  return {
    name: 'node:sqlite',
    sqliteVersion: String(prepare('SELECT sqlite_version() AS v').get()?.v),
    exec: (sql) => db.exec(sql),
    prepare,
    pragma: (name) => {
      const row = prepare(`PRAGMA ${name}`).get();
      return row === undefined ? undefined : Object.values(row)[0];
    },
    close: () => db.close(),
  };
}

export function openDriver(name: DriverName, path: string): SqliteDriver {
  return name === 'better-sqlite3' ? openBetterSqlite3(path) : openNodeSqlite(path);
}
