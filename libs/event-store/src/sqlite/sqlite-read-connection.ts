import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { EventStoreError, EventStoreUnavailableError } from '../event-store.errors';
import { ensureSqliteSchema, readableSqliteSchema } from './sqlite-schema';

/** The store's connection on its own thread: statements prepared once per SQL text, and any failure a store error. */
export class SqliteReadConnection {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  all<Row>(sql: string, params: unknown[]): Row[] {
    return this.reading(() => this.statement(sql).all(...params) as Row[]);
  }

  close(): void {
    this.db.close();
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql).safeIntegers(true);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (e) {
      if (e instanceof EventStoreError) throw e;
      throw new EventStoreUnavailableError(`SQLite event store read failed: ${(e as Error).message}`, { cause: e });
    }
  }
}

/**
 * A read-only store's connection: SQLite's read-only mode (the file must exist), no WAL switch and no migration, so a
 * reader (a verification, say) never writes to the log it reads, even one an older build wrote. A read-write
 * connection closing last would also checkpoint a crashed writer's WAL into the file.
 */
export function openReaderOnly(path: string, busyTimeoutMs: number): Db {
  let db: Db;
  try {
    db = new Database(path, { timeout: busyTimeoutMs, readonly: true });
  } catch (e) {
    throw new EventStoreUnavailableError(`Cannot open SQLite event store at ${path}`, { cause: e });
  }
  try {
    readableSqliteSchema(db);
    return db;
  } catch (e) {
    db.close();
    throw new EventStoreUnavailableError(`Cannot read SQLite event store at ${path}: ${(e as Error).message}`, { cause: e });
  }
}

export function openReadConnection(path: string, busyTimeoutMs: number): Db {
  let db: Db;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (e) {
    throw new EventStoreUnavailableError(`Cannot open SQLite event store at ${path}`, { cause: e });
  }
  try {
    // WAL lets this connection read while the writer thread commits; it is a property of the file.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    ensureSqliteSchema(db);
    return db;
  } catch (e) {
    db.close();
    throw new EventStoreUnavailableError(`Cannot initialise SQLite event store at ${path}`, { cause: e });
  }
}
