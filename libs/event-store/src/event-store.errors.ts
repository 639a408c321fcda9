import type { ExpectedRevision } from './event-store.port';

/** Stable codes callers branch on (never on message text). */
export enum EventStoreErrorCode {
  WrongExpectedRevision = 'WRONG_EXPECTED_REVISION',
  Unavailable = 'EVENT_STORE_UNAVAILABLE',
  InvalidAppend = 'INVALID_APPEND',
  Closed = 'EVENT_STORE_CLOSED',
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

export const isWrongExpectedRevision = (e: unknown): e is WrongExpectedRevisionError =>
  e instanceof WrongExpectedRevisionError;
export const isEventStoreUnavailable = (e: unknown): e is EventStoreUnavailableError =>
  e instanceof EventStoreUnavailableError;
