import {
  ErrorType,
  MaxAppendSizeExceededError,
  WrongExpectedVersionError,
  isCommandError,
} from '@eventstore/db-client';
import {
  EventStoreError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import type { ExpectedRevision } from '../event-store.port';

/**
 * Translates whatever the client threw into one of our typed errors. Only a wrong expected version and an oversized
 * append are the caller's doing; everything else (unavailable, deadline exceeded, cancelled by the server, not leader,
 * access denied, unknown) means the store could not do its job, so it becomes EventStoreUnavailableError with the
 * client's error kept as `cause`.
 */
export function toStoreError(
  error: unknown,
  what: string,
  append?: { streamId: string; expected: ExpectedRevision },
): EventStoreError {
  if (error instanceof EventStoreError) return error;
  if (append && error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new WrongExpectedRevisionError(append.streamId, append.expected, typeof actual === 'bigint' ? actual : 'no_stream');
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidAppendError(`${what}: the append exceeds the server's maximum append size of ${error.maxAppendSize} bytes`);
  }
  const kind = error instanceof Error && isCommandError(error) ? ` (${error.type})` : '';
  const message = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`EventStoreDB ${what} failed${kind}: ${message}`, { cause: error });
}

/** The server's deadline passed before it answered: for an append, its outcome is unknown. */
export const isDeadlineExceeded = (error: unknown): boolean =>
  error instanceof Error && isCommandError(error) && error.type === ErrorType.DEADLINE_EXCEEDED;

/**
 * Bounds a client call. The client itself puts no deadline on reads (`deadline: Infinity`) nor on the shared
 * BatchAppend stream (only the server enforces a request's deadline), so a hung server would otherwise hang us.
 * A timed-out append has an unknown outcome: retrying it with the same event ids is safe (duplicate detection).
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, what: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new EventStoreUnavailableError(`EventStoreDB ${what} did not complete within ${timeoutMs} ms`));
    }, timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
