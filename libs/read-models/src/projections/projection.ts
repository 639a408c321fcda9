import type { EventFilter, RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import type { ReadModelDialect } from '../sql-dialect';

/**
 * A projection in the Emmett style: it names the event types it reads and applies a batch of them inside the
 * transaction it is given (the runner commits its checkpoint in that same transaction).
 */
export interface Projection {
  /** Unique; also the checkpoint's name. Never rename one that is deployed (it would start from zero). */
  readonly name: string;
  /** Bump when the read model's meaning changes; a changed projection needs `rebuildReadModels`. */
  readonly version: number;
  /** Exact event types it handles; others are never passed to `handle`. */
  readonly canHandle: readonly string[];
  /** Applies events in position order. Must be idempotent per event (a rebuild or a redelivery may repeat one). */
  handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void>;
  /** Empties the read model it owns (used by rebuild). */
  truncate(manager: EntityManager): Promise<void>;
}

/**
 * A projection whose per-event work needs no database splits it out: `prepare` is pure (no I/O, any thread) and its
 * result survives a structured clone; `applyPrepared` writes it with the manager. `handle` must equal the two in
 * sequence. A rebuild prepares on a worker thread, next to the log reader, while the main thread writes.
 */
export interface PreparingProjection<P = unknown> extends Projection {
  prepare(events: readonly RecordedEvent[], dialect: ReadModelDialect): P;
  applyPrepared(prepared: P, manager: EntityManager): Promise<void>;
}

export const isPreparing = (projection: Projection): projection is PreparingProjection =>
  typeof (projection as Partial<PreparingProjection>).prepare === 'function';

/** The store-side filter for a projection: only its event types travel. */
export const projectionFilter = (projection: Projection): EventFilter => ({
  eventTypePrefixes: [...projection.canHandle],
});
