import { EventStoreUnavailableError, InvalidAppendError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult } from '../event-store.port';
import type { SqliteWriterClient } from './sqlite-writer-client';
import { failureToError, type AppendOutcome, type SqliteFailure, type WireAppend } from './sqlite-write-protocol';

export type { SerializedEvent } from './sqlite-write-protocol';

export interface PendingAppend extends WireAppend {
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  /** Transactions attempted (one per batch handed to the writer thread). */
  readonly flushes: number;
  /** Flushes whose BEGIN or COMMIT failed, or whose writer thread died (every caller of the batch was rejected). */
  readonly failedFlushes: number;
  /** Appends acknowledged after a successful COMMIT. */
  readonly committedAppends: number;
  readonly committedEvents: number;
  readonly largestBatch: number;
}

/**
 * Group commit across threads: the writer worker runs one batch (transaction + fsync) at a time while this thread
 * keeps serving and queues the next appends; when the worker reports the COMMIT, the callers of that batch settle
 * and everything queued meanwhile (up to maxBatch) goes out as the next batch. A caller's promise resolves only
 * after its batch committed.
 */
export class SqliteGroupCommitter {
  private readonly queue: PendingAppend[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private inFlight = false;
  private idleWaiters: Array<() => void> = [];
  private counters = { flushes: 0, failedFlushes: 0, committedAppends: 0, committedEvents: 0, largestBatch: 0 };

  constructor(
    private readonly writer: SqliteWriterClient,
    private readonly maxBatch: number,
    private readonly onCommitted: () => void,
  ) {}

  enqueue(append: PendingAppend): void {
    if (this.writer.failure !== undefined) return append.reject(this.writer.failure);
    this.queue.push(append);
    // Waiting one turn lets appends issued in the same tick share the first batch.
    if (!this.inFlight) this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Resolves once every append accepted so far has been settled (used by close so none is dropped). */
  drain(): Promise<void> {
    if (this.scheduled !== undefined) this.flush();
    if (!this.inFlight && this.queue.length === 0) return Promise.resolve();
    return new Promise<void>((done) => this.idleWaiters.push(done));
  }

  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  private flush(): void {
    if (this.inFlight) return;
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return this.notifyIdle();
    this.inFlight = true;
    this.counters.flushes++;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    const wire = batch.map(({ streamId, events, expected }): WireAppend => ({ streamId, events, expected }));
    this.writer
      .commit(wire)
      .then(
        (reply) => (reply.ok ? this.settle(batch, reply.outcomes) : this.failBatch(batch, commitError(reply.failure))),
        (error: unknown) => this.writerDied(batch, error),
      )
      .finally(() => {
        // The next batch formed while this one was in flight; send it at once.
        this.inFlight = false;
        this.flush();
      });
  }

  private settle(batch: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
    let anyCommitted = false;
    outcomes.forEach((outcome, i) => {
      const append = batch[i];
      if (outcome.kind === 'committed') {
        anyCommitted = true;
        this.counters.committedAppends++;
        this.counters.committedEvents += append.events.length;
        append.resolve({ nextExpectedRevision: outcome.nextExpectedRevision, position: outcome.position });
      } else {
        append.reject(appendError(append, outcome));
      }
    });
    if (anyCommitted) this.onCommitted();
  }

  private failBatch(batch: readonly PendingAppend[], error: unknown): void {
    this.counters.failedFlushes++;
    for (const append of batch) append.reject(error);
  }

  /** Nothing more can commit: the in-flight batch and everything queued fail with the writer's error. */
  private writerDied(batch: readonly PendingAppend[], error: unknown): void {
    for (const append of this.queue.splice(0)) append.reject(error);
    this.failBatch(batch, error);
  }

  private notifyIdle(): void {
    for (const done of this.idleWaiters.splice(0)) done();
  }
}

function commitError(failure: SqliteFailure): EventStoreUnavailableError {
  return new EventStoreUnavailableError(`SQLite event store could not commit: ${failure.message}`, {
    cause: failureToError(failure),
  });
}

function appendError(append: PendingAppend, outcome: Exclude<AppendOutcome, { kind: 'committed' }>): Error {
  switch (outcome.kind) {
    case 'wrong_expected_revision':
      return new WrongExpectedRevisionError(append.streamId, append.expected, outcome.actual);
    case 'duplicate_event_id':
      return new InvalidAppendError(`Append to "${append.streamId}" reuses an event id already stored`);
    case 'statement_failed':
      return new EventStoreUnavailableError(`SQLite rejected the append to "${append.streamId}": ${outcome.failure.message}`, {
        cause: failureToError(outcome.failure),
      });
  }
}
