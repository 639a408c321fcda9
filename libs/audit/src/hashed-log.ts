import { createHash } from 'node:crypto';
import { ENTRY_DIGEST_BYTES, eventHash, eventHashOfText, type HashedEvent, type SealEntry } from '@verdict/domain/audit';
import type { EventStore, RecordedEventText } from '@verdict/event-store';

export const READ_PAGE = 1000;
/**
 * The most text one page of a verified range holds (readAllText's maxChars): 1,000 of the largest decisions would be
 * ~60 M characters. hashedRange reads on until the range's end, so a page this cuts short is no end.
 */
export const READ_PAGE_CHARS = 4 * 1024 * 1024;

/** Misses in a row after which a range stops trying the text hash: the store's text is not canonical (jsonb). */
const GIVE_UP_AFTER_MISSES = 64;

const parsedHash = (e: RecordedEventText): Buffer =>
  eventHash({ ...e, data: JSON.parse(e.dataJson) as unknown, metadata: JSON.parse(e.metadataJson) as unknown });

/**
 * For a verifier: the event's hash, or, when its text no longer parses (a row rewritten behind the store), a hash
 * under another prefix that no event's canonical JSON can have, with the reason. The range check then names the
 * position instead of the whole verification failing on one row.
 */
function verifiedHash(e: RecordedEventText): Pick<HashedEvent, 'hash' | 'unreadable'> {
  let data: unknown;
  let metadata: unknown;
  try {
    data = JSON.parse(e.dataJson);
  } catch (error) {
    return unreadable(e, `its data is not JSON: ${(error as Error).message}`);
  }
  try {
    metadata = JSON.parse(e.metadataJson);
  } catch (error) {
    return unreadable(e, `its metadata is not JSON: ${(error as Error).message}`);
  }
  return { hash: eventHash({ ...e, data, metadata }) };
}

const unreadable = (e: RecordedEventText, reason: string): Pick<HashedEvent, 'hash' | 'unreadable'> => ({
  hash: createHash('sha256').update('unreadable\0').update(e.dataJson).update('\0').update(e.metadataJson).digest(),
  unreadable: reason,
});

/**
 * A stored event with its hash, as the store returns it now. Text the store wrote as canonical JSON is hashed as it
 * is (the same bytes eventHash would build); any other text is parsed and canonicalised first. For the sealer: text
 * that does not parse throws, so a damaged row is never sealed.
 */
export const hashOf = (e: RecordedEventText): HashedEvent => ({
  position: e.position,
  streamId: e.streamId,
  revision: e.revision,
  hash: e.canonical ? eventHashOfText(e) : parsedHash(e),
});

/**
 * Pages of the global log in (after, through], hashed, in position order. readAll is commit-ordered on every adapter
 * (see the port), so a page never skips an event that a later page would show below it.
 *
 * Each event is first hashed over its stored text (eventHashOfText: no parse). That hash is taken only when it matches
 * what `sealed` (the seal's entries, in position order) recorded for the same position; otherwise the event is parsed
 * and hashed in full, so an altered, non-canonical or unsealed event always gets its true hash. An event whose text
 * no longer parses is yielded marked `unreadable` (see verifiedHash), never thrown: verifiers report it.
 */
export async function* hashedRange(store: EventStore, after: bigint, through: bigint, sealed: readonly SealEntry[] = [], page = READ_PAGE): AsyncGenerator<HashedEvent[]> {
  let cursor = after;
  let next = 0;
  let missesInARow = 0;
  while (cursor < through) {
    const events = await store.readAllText({ after: cursor, maxCount: page, maxChars: READ_PAGE_CHARS });
    if (events.length === 0) return;
    const hashed: HashedEvent[] = [];
    for (const e of events) {
      if (e.position > through) break;
      while (next < sealed.length && sealed[next].position < e.position) next++;
      let known: Pick<HashedEvent, 'hash' | 'unreadable'> | null = null;
      if (missesInARow < GIVE_UP_AFTER_MISSES && next < sealed.length && sealed[next].position === e.position) {
        const fast = eventHashOfText(e);
        if (fast.subarray(0, ENTRY_DIGEST_BYTES).equals(sealed[next].digest)) {
          known = { hash: fast };
          missesInARow = 0;
        } else {
          missesInARow++;
        }
      }
      hashed.push({ position: e.position, streamId: e.streamId, revision: e.revision, ...(known ?? verifiedHash(e)) });
    }
    if (hashed.length > 0) yield hashed;
    if (hashed.length < events.length) return;
    cursor = events[events.length - 1].position;
  }
}
