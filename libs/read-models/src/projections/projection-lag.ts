import type { EventStore } from '@verdict/event-store/event-store.port';

/** Lag is counted up to this many events; beyond, it reads "at least this" (a scrape must never read the whole log). */
export const PROJECTION_LAG_LIMIT = 100_000;

/**
 * A projection's lag in events: those of its types after its checkpoint, which it has still to apply. Counted, not
 * subtracted: positions are not counts (EventStoreDB's are byte offsets), and a checkpoint moves only with the events
 * a projection handles, so the head position minus the checkpoint would never reach 0 while other events follow.
 */
export function projectionLag(store: EventStore, eventTypes: readonly string[], checkpoint: bigint): Promise<number> {
  return store.countEvents({ after: checkpoint, filter: { eventTypePrefixes: [...eventTypes] }, limit: PROJECTION_LAG_LIMIT });
}
