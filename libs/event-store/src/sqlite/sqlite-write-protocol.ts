import type { ValidatedAppend } from '../append-validation';

/**
 * Messages between the main thread and the writer worker (see sqlite-writer.worker.ts). Everything here survives
 * structured cloning: plain objects, strings and bigints only. Error classes do not survive it, so the worker
 * describes failures and the main thread turns them into the store's typed errors.
 */

/** What SQLite said about a failure, kept so callers can still inspect `error.cause.code`. */
export interface SqliteFailure {
  readonly message: string;
  readonly code?: string;
}

export type AppendOutcome =
  | { readonly kind: 'committed'; readonly nextExpectedRevision: bigint; readonly position: bigint }
  | { readonly kind: 'wrong_expected_revision'; readonly actual: bigint | 'no_stream' }
  | { readonly kind: 'duplicate_event_id' }
  | { readonly kind: 'statement_failed'; readonly failure: SqliteFailure };

export interface WriterOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

export type ToWriter =
  | { readonly type: 'batch'; readonly batchId: number; readonly appends: readonly ValidatedAppend[] }
  | { readonly type: 'close' };

export type FromWriter =
  | { readonly type: 'ready' }
  | { readonly type: 'open_failed'; readonly failure: SqliteFailure }
  /** COMMIT returned: the outcomes are final (one per append, in batch order). */
  | { readonly type: 'committed'; readonly batchId: number; readonly outcomes: readonly AppendOutcome[] }
  /** BEGIN or COMMIT failed: nothing of the batch was kept. */
  | { readonly type: 'batch_failed'; readonly batchId: number; readonly failure: SqliteFailure }
  | { readonly type: 'closed' };

export function describeFailure(e: unknown): SqliteFailure {
  if (e instanceof AggregateError) {
    // COMMIT and ROLLBACK both failed: keep both reasons, and the first one's code.
    const parts = e.errors.map(describeFailure);
    return withCode(`${e.message}: ${parts.map((p) => p.message).join('; ')}`, parts[0]?.code);
  }
  const message =
    e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e) ? String((e as Error).message) : String(e);
  return withCode(message, typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined);
}

const withCode = (message: string, code: string | undefined): SqliteFailure =>
  code === undefined ? { message } : { message, code };

/** Rebuilds an Error from a description, as the `cause` of the typed error the caller sees. */
export function failureToError(failure: SqliteFailure): Error {
  const error = new Error(failure.message) as Error & { code?: string };
  if (failure.code !== undefined) error.code = failure.code;
  return error;
}
