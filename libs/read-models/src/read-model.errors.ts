/** Stable codes callers branch on (never on message text). */
export enum ReadModelErrorCode {
  InvalidConfig = 'READ_MODEL_INVALID_CONFIG',
  InvalidCursor = 'INVALID_CURSOR',
  InvalidFilter = 'INVALID_DECISION_FILTER',
  UnsupportedEvent = 'UNSUPPORTED_EVENT_SCHEMA',
  CheckpointConflict = 'PROJECTION_CHECKPOINT_CONFLICT',
  ProjectionFailed = 'PROJECTION_FAILED',
  ProjectionStopped = 'PROJECTION_STOPPED',
  WaitTimeout = 'PROJECTION_WAIT_TIMEOUT',
}

export abstract class ReadModelError extends Error {
  abstract readonly code: ReadModelErrorCode;
}

export class ReadModelConfigError extends ReadModelError {
  readonly code = ReadModelErrorCode.InvalidConfig;
  constructor(message: string) {
    super(message);
    this.name = 'ReadModelConfigError';
  }
}

/** A list cursor that this service did not hand out (or that was altered). */
export class InvalidCursorError extends ReadModelError {
  readonly code = ReadModelErrorCode.InvalidCursor;
  constructor(readonly cursor: string) {
    super(`Invalid cursor "${cursor.slice(0, 64)}": pass back a nextCursor exactly as received`);
    this.name = 'InvalidCursorError';
  }
}

export class InvalidDecisionFilterError extends ReadModelError {
  readonly code = ReadModelErrorCode.InvalidFilter;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidDecisionFilterError';
  }
}

/** An event a projection subscribed to but cannot read: it stops the projection rather than skip the event. */
export class UnsupportedEventSchemaError extends ReadModelError {
  readonly code = ReadModelErrorCode.UnsupportedEvent;
  constructor(
    readonly projection: string,
    readonly eventType: string,
    readonly position: bigint,
    detail: string,
  ) {
    super(`Projection "${projection}" cannot handle ${eventType} at position ${position}: ${detail}`);
    this.name = 'UnsupportedEventSchemaError';
  }
}

/**
 * The stored checkpoint is not where this writer left it: another runner of the same projection is live, or the
 * read model was rebuilt underneath a running one. Applying on would mix two histories, so the writer stops.
 */
export class CheckpointConflictError extends ReadModelError {
  readonly code = ReadModelErrorCode.CheckpointConflict;
  constructor(
    readonly projection: string,
    readonly expected: bigint,
    readonly actual: bigint,
  ) {
    super(
      `Checkpoint of projection "${projection}" is ${actual}, expected ${expected}: ` +
        'another runner is writing this projection or its read model was reset; restart the runner',
    );
    this.name = 'CheckpointConflictError';
  }
}

export class ProjectionFailedError extends ReadModelError {
  readonly code = ReadModelErrorCode.ProjectionFailed;
  constructor(
    readonly projection: string,
    cause: Error,
  ) {
    super(`Projection "${projection}" stopped on an error: ${cause.message}`, { cause });
    this.name = 'ProjectionFailedError';
  }
}

export class ProjectionStoppedError extends ReadModelError {
  readonly code = ReadModelErrorCode.ProjectionStopped;
  constructor(readonly projection: string) {
    super(`Projection "${projection}" was stopped`);
    this.name = 'ProjectionStoppedError';
  }
}

export class ProjectionWaitTimeoutError extends ReadModelError {
  readonly code = ReadModelErrorCode.WaitTimeout;
  constructor(
    readonly projection: string,
    readonly position: bigint,
    readonly checkpoint: bigint,
    readonly timeoutMs: number,
  ) {
    super(`Projection "${projection}" did not reach position ${position} within ${timeoutMs} ms (at ${checkpoint})`);
    this.name = 'ProjectionWaitTimeoutError';
  }
}
