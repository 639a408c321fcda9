import type { ExpectedRevision } from './event-store.port';

/** Stable codes callers branch on (never on message text). */
export enum EventStoreErrorCode {
  WrongExpectedRevision = 'WRONG_EXPECTED_REVISION',
  Unavailable = 'EVENT_STORE_UNAVAILABLE',
  AppendOutcomeUnknown = 'APPEND_OUTCOME_UNKNOWN',
  InvalidAppend = 'INVALID_APPEND',
  Closed = 'EVENT_STORE_CLOSED',
  ReadOnly = 'EVENT_STORE_READ_ONLY',
  Unreadable = 'EVENT_UNREADABLE',
}

export abstract class EventStoreError extends Error {
  abstract readonly code: EventStoreErrorCode;
}

export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = EventStoreErrorCode.WrongExpectedRevision;
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or 'no_stream'; undefined when the store doesn't say. */
    readonly actual: bigint | 'no_stream' | undefined,
  ) {
    super(`Append to "${streamId}" expected ${String(expected)} but the stream is at ${String(actual ?? 'unknown')}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class EventStoreUnavailableError extends EventStoreError {
  readonly code = EventStoreErrorCode.Unavailable;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

/**
 * The append was handed to the store, and the store was lost before it said whether it committed (the SQLite writer
 * thread died with the batch, a PostgreSQL connection dropped after COMMIT was sent, an EventStoreDB append timed
 * out). It may be recorded or not. Unlike EventStoreUnavailableError ("nothing was written"), a caller must not tell
 * its client that nothing was made: retrying the same append is safe (ids and expected revisions make it idempotent)
 * and finds out which.
 */
export class AppendOutcomeUnknownError extends EventStoreError {
  readonly code = EventStoreErrorCode.AppendOutcomeUnknown;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppendOutcomeUnknownError';
  }
}

export class InvalidAppendError extends EventStoreError {
  readonly code = EventStoreErrorCode.InvalidAppend;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

export class EventStoreClosedError extends EventStoreError {
  readonly code = EventStoreErrorCode.Closed;
  constructor() {
    super('The event store has been closed');
    this.name = 'EventStoreClosedError';
  }
}

/** An append to an instance opened to read only (a reader thread's own connection): nothing was written. */
export class EventStoreReadOnlyError extends EventStoreError {
  readonly code = EventStoreErrorCode.ReadOnly;
  constructor() {
    super('This event store instance was opened to read only');
    this.name = 'EventStoreReadOnlyError';
  }
}

/**
 * A stored event whose data or metadata is no longer JSON: only a store written to behind the port (tampering, a
 * damaged file) holds one. It names the event, so that readers who must go on (audit verification) can report it.
 */
export class UnreadableEventError extends EventStoreError {
  readonly code = EventStoreErrorCode.Unreadable;
  constructor(
    readonly streamId: string,
    readonly revision: bigint,
    readonly position: bigint,
    /** Which text does not parse, and why. */
    readonly reason: string,
  ) {
    super(`The event at position ${position} (${streamId}@${revision}) cannot be read: ${reason}`);
    this.name = 'UnreadableEventError';
  }
}

export const isWrongExpectedRevision = (e: unknown): e is WrongExpectedRevisionError =>
  e instanceof WrongExpectedRevisionError;
export const isEventStoreUnavailable = (e: unknown): e is EventStoreUnavailableError =>
  e instanceof EventStoreUnavailableError;
export const isAppendOutcomeUnknown = (e: unknown): e is AppendOutcomeUnknownError => e instanceof AppendOutcomeUnknownError;
export const isUnreadableEvent = (e: unknown): e is UnreadableEventError => e instanceof UnreadableEventError;
