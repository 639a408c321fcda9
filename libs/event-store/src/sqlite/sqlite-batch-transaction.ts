import type { Database, Statement } from 'better-sqlite3';
import type { ValidatedAppend } from '../append-validation';
import type { ExpectedRevision } from '../event-store.port';
import { describeFailure, type AppendOutcome } from './sqlite-write-protocol';

/** Thrown inside a batch when SQLite has already rolled the whole transaction back (e.g. SQLITE_FULL, SQLITE_IOERR). */
class BatchAbortedError extends Error {
  constructor(readonly original: unknown) {
    super('transaction aborted');
  }
}

const sqliteCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

/**
 * Writes one batch of appends in ONE transaction (one fsync at COMMIT). Runs on the writer worker's connection.
 * Expected revisions are checked per append inside the transaction, and a failure is confined to its own caller: a
 * single-event append by SQLite's statement atomicity (a failed INSERT backs out only itself), a multi-event one by
 * a savepoint (prepared once: exec() would parse it again for every append).
 */
export class SqliteBatchTransaction {
  private readonly lastRevision: Statement<[string], { rev: bigint | null }>;
  private readonly insert: Statement<[string, string, bigint, string, string, string, number]>;
  private readonly savepoint: Statement<[]>;
  private readonly release: Statement<[]>;
  private readonly rollbackTo: Statement<[]>;

  constructor(private readonly db: Database) {
    this.lastRevision = db
      .prepare<[string], { rev: bigint | null }>('SELECT MAX(revision) AS rev FROM events WHERE stream_id = ?')
      .safeIntegers(true);
    this.insert = db
      .prepare<[string, string, bigint, string, string, string, number]>(
        // canonical = 1: every append reaches this writer through SqliteEventStore, which stores canonical JSON.
        `INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at, canonical)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
      )
      .safeIntegers(true);
    this.savepoint = db.prepare('SAVEPOINT append');
    this.release = db.prepare('RELEASE append');
    this.rollbackTo = db.prepare('ROLLBACK TO append');
  }

  /** Returns one outcome per append once COMMIT has returned; throws if the batch as a whole failed. */
  run(batch: readonly ValidatedAppend[]): AppendOutcome[] {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const recordedAt = Date.now();
      const outcomes = batch.map((append) => this.applyOne(append, recordedAt));
      this.db.exec('COMMIT');
      return outcomes;
    } catch (e) {
      const cause = e instanceof BatchAbortedError ? e.original : e;
      // A failed COMMIT (e.g. a deferred constraint) leaves the transaction open; an I/O error may already have
      // rolled it back. Either way nothing of this batch may stay behind.
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch (rollbackError) {
          throw new AggregateError([cause, rollbackError], 'COMMIT failed and ROLLBACK failed too');
        }
      }
      throw cause;
    }
  }

  private applyOne(append: ValidatedAppend, recordedAt: number): AppendOutcome {
    const rev = this.lastRevision.get(append.streamId)?.rev ?? null;
    if (!matches(append.expected, rev)) return { kind: 'wrong_expected_revision', actual: rev ?? 'no_stream' };
    const guarded = append.events.length > 1;
    if (guarded) this.savepoint.run();
    try {
      let revision = rev ?? -1n;
      let position = 0n;
      for (const event of append.events) {
        revision++;
        const info = this.insert.run(event.id, append.streamId, revision, event.type, event.data, event.metadata, recordedAt);
        position = BigInt(info.lastInsertRowid);
      }
      if (guarded) this.release.run();
      return { kind: 'committed', nextExpectedRevision: revision, position };
    } catch (e) {
      if (!this.db.inTransaction) throw new BatchAbortedError(e);
      if (guarded) {
        this.rollbackTo.run();
        this.release.run();
      }
      if (sqliteCode(e) === 'SQLITE_CONSTRAINT_UNIQUE' && /event_id/.test(String((e as Error).message))) {
        return { kind: 'duplicate_event_id' };
      }
      return { kind: 'statement_failed', failure: describeFailure(e) };
    }
  }
}

function matches(expected: ExpectedRevision, rev: bigint | null): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return rev === null;
  if (expected === 'stream_exists') return rev !== null;
  return rev === expected;
}
