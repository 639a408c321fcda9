import type { EventFilter, RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';

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

/** The store-side filter for a projection: only its event types travel. */
export const projectionFilter = (projection: Projection): EventFilter => ({
  eventTypePrefixes: [...projection.canHandle],
});
