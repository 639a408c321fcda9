/**
 * Messages between the engine's main thread (ProjectionWorkerClient) and its projection thread (projection.worker.ts).
 * Positions travel as bigint (structured clone keeps them); errors as WireError (their class does not survive).
 */
import type { EventStoreSelection } from '@verdict/event-store';
import type { ReadModelDataSourceConfig } from '@verdict/read-models';

export interface ProjectionWorkerData {
  readonly eventStore: EventStoreSelection;
  readonly readModels: ReadModelDataSourceConfig;
  readonly batchSize: number;
  /** ProjectionRunner's least time between two read-model transactions under load. */
  readonly minBatchIntervalMs: number;
  /** Least time between two checkpoint reports while the projection keeps advancing. */
  readonly reportIntervalMs: number;
  /** Width of the drift histograms' windows (VERDICT_DRIFT_WINDOW_SECONDS). */
  readonly driftWindowSeconds: number;
  /** Steps below the request path this thread runs at (VERDICT_BACKGROUND_NICE): read models may lag, decisions not. */
  readonly backgroundNice: number;
}

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
}

export type ToProjectionWorker =
  /** The main thread committed appends: wake an idle subscription now instead of at its next poll. */
  | { readonly type: 'appended' }
  /**
   * Count the events of the projection's types after its checkpoint (readiness and metrics ask): on this thread, so
   * that a count over a long backlog never holds the request path's event loop.
   */
  | { readonly type: 'lag'; readonly id: number }
  /** Stop the runner (the batch in flight commits), close both stores, then report 'stopped'. */
  | { readonly type: 'stop' };

export type FromProjectionWorker =
  | { readonly type: 'started'; readonly projection: string; readonly checkpoint: bigint }
  | { readonly type: 'start_failed'; readonly error: WireError }
  | { readonly type: 'checkpoint'; readonly checkpoint: bigint }
  /** The runner stopped on an error; the thread stays up (idle) until asked to stop. */
  | { readonly type: 'failed'; readonly checkpoint: bigint; readonly error: WireError }
  | { readonly type: 'lag'; readonly id: number; readonly lag: number }
  | { readonly type: 'lag_failed'; readonly id: number; readonly error: WireError }
  | { readonly type: 'log'; readonly level: 'info' | 'error'; readonly obj: Record<string, unknown>; readonly msg: string }
  /** Answer to 'stop'; `failures` lists what could not be closed. */
  | { readonly type: 'stopped'; readonly checkpoint: bigint; readonly failures: readonly { step: string; error: WireError }[] };

export function toWireError(e: unknown): WireError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const code = (e as { code?: unknown }).code;
  return { name: e.name, message: e.message, stack: e.stack, ...(typeof code === 'string' ? { code } : {}) };
}

/** An Error carrying the worker-side name, message, stack and code (for logs and readiness). */
export function fromWireError(wire: WireError): Error {
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  if (wire.code !== undefined) Object.assign(error, { code: wire.code });
  return error;
}

/** Log fields made cloneable: Errors become WireErrors (pino's err serializer reads their message and stack). */
export function toWireLogFields(obj: object): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) fields[key] = value instanceof Error ? toWireError(value) : value;
  return fields;
}
