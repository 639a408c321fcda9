import { EventStoreError, EventStoreUnavailableError } from '../event-store.errors';

/**
 * Wraps a driver or server failure (connection refused, lost connection, failed statement) as the port's
 * EventStoreUnavailableError with the original error attached as `cause`. Errors that are already typed pass through.
 */
export function toUnavailable(error: unknown, operation: string): EventStoreError {
  if (error instanceof EventStoreError) return error;
  const detail = error instanceof Error ? error.message || error.name : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const suffix = typeof code === 'string' && code.length > 0 ? ` [${code}]` : '';
  return new EventStoreUnavailableError(`PostgreSQL event store: ${operation} failed: ${detail}${suffix}`, {
    cause: error,
  });
}
