import type { Database, Statement } from 'better-sqlite3';
import { EventStoreUnavailableError, InvalidAppendError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, ExpectedRevision } from '../event-store.port';

/** An event already validated and serialised, so nothing in a flush can fail because of one caller's input shape. */
export interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly SerializedEvent[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  /** Transactions attempted (one per flushed batch). */
  readonly flushes: number;
  /** Flushes whose BEGIN or COMMIT failed (every caller of the batch was rejected). */
  readonly failedFlushes: number;
  /** Appends acknowledged after a successful COMMIT. */
  readonly committedAppends: number;
  readonly committedEvents: number;
  readonly largestBatch: number;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/** Thrown inside a flush when SQLite has already rolled the whole transaction back (e.g. SQLITE_FULL, SQLITE_IOERR). */
class BatchAbortedError extends Error {
  constructor(readonly original: unknown) {
    super('transaction aborted');
  }
}

const sqliteCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

/**
 * Group commit: appends that arrive while a flush is pending share ONE transaction (one fsync). better-sqlite3 is
 * synchronous, so a flush runs to completion on the event loop; everything enqueued before the scheduled
 * setImmediate fires lands in the same batch. Expected revisions are checked per append inside the transaction, and
 * a savepoint per append confines a constraint failure to its own caller.
 */
export class SqliteGroupCommitter {
  private readonly queue: PendingAppend[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly lastRevision: Statement<[string], { rev: bigint | null }>;
  private readonly insert: Statement<[string, string, bigint, string, string, string, number]>;
  private counters = { flushes: 0, failedFlushes: 0, committedAppends: 0, committedEvents: 0, largestBatch: 0 };

  constructor(
    private readonly db: Database,
    private readonly maxBatch: number,
    private readonly onCommitted: () => void,
  ) {
    this.lastRevision = db
      .prepare<[string], { rev: bigint | null }>('SELECT MAX(revision) AS rev FROM events WHERE stream_id = ?')
      .safeIntegers(true);
    this.insert = db
      .prepare<[string, string, bigint, string, string, string, number]>(
        `INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .safeIntegers(true);
  }

  enqueue(append: PendingAppend): void {
    this.queue.push(append);
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      this.flushOne();
    });
  }

  /** Commits everything queued, synchronously (used by close so accepted appends are not dropped). */
  drain(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.queue.length > 0) this.flushOne(false);
  }

  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  private flushOne(reschedule = true): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    if (reschedule && this.queue.length > 0) {
      this.scheduled = setImmediate(() => {
        this.scheduled = undefined;
        this.flushOne();
      });
    }
    this.counters.flushes++;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);

    let outcomes: Outcome[];
    try {
      outcomes = this.runTransaction(batch);
    } catch (e) {
      this.counters.failedFlushes++;
      const cause = e instanceof BatchAbortedError ? e.original : e;
      const error = new EventStoreUnavailableError(`SQLite event store could not commit: ${messageOf(cause)}`, { cause });
      for (const append of batch) append.reject(error);
      return;
    }
    let anyCommitted = false;
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) {
        anyCommitted = true;
        this.counters.committedAppends++;
        this.counters.committedEvents += batch[i].events.length;
        batch[i].resolve(outcome.result);
      } else {
        batch[i].reject(outcome.error);
      }
    });
    if (anyCommitted) this.onCommitted();
  }

  /** Returns one outcome per append once COMMIT has returned; throws if the batch as a whole failed. */
  private runTransaction(batch: readonly PendingAppend[]): Outcome[] {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const recordedAt = Date.now();
      const outcomes = batch.map((append) => this.applyOne(append, recordedAt));
      this.db.exec('COMMIT');
      return outcomes;
    } catch (e) {
      // A failed COMMIT (e.g. a deferred constraint) leaves the transaction open; an I/O error may already have
      // rolled it back. Either way nothing of this batch may stay behind.
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch (rollbackError) {
          throw new AggregateError([e, rollbackError], 'COMMIT failed and ROLLBACK failed too');
        }
      }
      throw e;
    }
  }

  private applyOne(append: PendingAppend, recordedAt: number): Outcome {
    const rev = this.lastRevision.get(append.streamId)?.rev ?? null;
    const actual = rev === null ? ('no_stream' as const) : rev;
    if (!matches(append.expected, rev)) {
      return { ok: false, error: new WrongExpectedRevisionError(append.streamId, append.expected, actual) };
    }
    this.db.exec('SAVEPOINT append');
    try {
      let revision = rev ?? -1n;
      let position = 0n;
      for (const event of append.events) {
        revision++;
        const info = this.insert.run(
          event.id,
          append.streamId,
          revision,
          event.type,
          event.data,
          event.metadata,
          recordedAt,
        );
        position = BigInt(info.lastInsertRowid);
      }
      this.db.exec('RELEASE append');
      return { ok: true, result: { nextExpectedRevision: revision, position } };
    } catch (e) {
      if (!this.db.inTransaction) throw new BatchAbortedError(e);
      this.db.exec('ROLLBACK TO append');
      this.db.exec('RELEASE append');
      return { ok: false, error: this.appendError(append, e) };
    }
  }

  private appendError(append: PendingAppend, e: unknown): unknown {
    const code = sqliteCode(e);
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' && /event_id/.test(String((e as Error).message))) {
      return new InvalidAppendError(`Append to "${append.streamId}" reuses an event id already stored`);
    }
    return new EventStoreUnavailableError(`SQLite rejected the append to "${append.streamId}": ${messageOf(e)}`, {
      cause: e,
    });
  }
}

function matches(expected: ExpectedRevision, rev: bigint | null): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return rev === null;
  if (expected === 'stream_exists') return rev !== null;
  return rev === expected;
}

function messageOf(e: unknown): string {
  return e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e) ? String((e as Error).message) : String(e);
}
