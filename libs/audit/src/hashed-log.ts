import { eventHash, type HashedEvent } from '@verdict/domain/audit';
import type { EventStore, RecordedEvent } from '@verdict/event-store';

export const READ_PAGE = 1000;

/** A stored event with its hash, as the store returns it now. */
export const hashOf = (e: RecordedEvent): HashedEvent => ({ position: e.position, streamId: e.streamId, revision: e.revision, hash: eventHash(e) });

/**
 * Pages of the global log in (after, through], hashed, in position order. readAll is commit-ordered on every adapter
 * (see the port), so a page never skips an event that a later page would show below it.
 */
export async function* hashedRange(store: EventStore, after: bigint, through: bigint, page = READ_PAGE): AsyncGenerator<HashedEvent[]> {
  let cursor = after;
  while (cursor < through) {
    const events = await store.readAll({ after: cursor, maxCount: page });
    if (events.length === 0) return;
    const inRange = events.filter((e) => e.position <= through);
    if (inRange.length > 0) yield inRange.map(hashOf);
    if (inRange.length < events.length) return;
    cursor = events[events.length - 1].position;
  }
}
