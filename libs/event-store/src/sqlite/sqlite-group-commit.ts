import type { ValidatedAppend } from '../append-validation';
import { EventStoreUnavailableError, InvalidAppendError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, CommitReport } from '../event-store.port';
import { GroupCommitQueue } from '../group-commit/group-commit-queue';
import type { BatchReply } from './sqlite-writer-client';
import { failureToError, type AppendOutcome, type SqliteFailure } from './sqlite-write-protocol';

/** What the queue needs of the writer: one life (SqliteWriterClient) or the supervised thread. */
export interface SqliteBatchWriter {
  commit(appends: readonly ValidatedAppend[]): Promise<BatchReply>;
  /** Why nothing can commit any more, else undefined. */
  readonly failure: Error | undefined;
}

/**
 * Group commit across threads: the shared queue, with the writer thread as its committer. The writer runs one batch
 * (transaction + fsync) at a time while this thread keeps serving and queues the next appends. A dead writer fails
 * the batch in flight, everything queued and every later append with its error.
 */
export function sqliteGroupCommit(
  writer: SqliteBatchWriter,
  maxBatch: number,
  onCommitted: (committed: readonly AppendResult[], report: CommitReport) => void,
): GroupCommitQueue<ValidatedAppend, AppendResult> {
  return new GroupCommitQueue<ValidatedAppend, AppendResult>({
    commit: async (batch) => {
      const reply = await writer.commit(batch);
      if (!reply.ok) throw commitError(reply.failure);
      return reply.outcomes.map((outcome, i) => toResult(batch[i], outcome));
    },
    maxBatch,
    eventCount: (append) => append.events.length,
    onCommitted,
    failure: () => writer.failure,
  });
}

function commitError(failure: SqliteFailure): EventStoreUnavailableError {
  return new EventStoreUnavailableError(`SQLite event store could not commit: ${failure.message}`, {
    cause: failureToError(failure),
  });
}

function toResult(append: ValidatedAppend, outcome: AppendOutcome): AppendResult | Error {
  switch (outcome.kind) {
    case 'committed':
      return { nextExpectedRevision: outcome.nextExpectedRevision, position: outcome.position };
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
