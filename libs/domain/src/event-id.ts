import { uuidText } from './deterministic-id';
import { RandomPool } from './random-pool';

/** The 74 random bits (and the 6 the version and variant overwrite), 256 ids to a fill. */
const tails = new RandomPool(10, 256);
const id = Buffer.alloc(16);

/**
 * A fresh event id: an RFC 9562 version-7 UUID, 48 bits of Unix milliseconds then 74 random bits. As unique as a
 * random (v4) id, but ids made in a later millisecond sort after earlier ones, so a store's unique index of event ids
 * takes each new id at its end rather than at a random place (docs/benchmarks.md).
 * Nothing reads a time or an order from an event id; a clock that steps back costs only that locality.
 */
export function newEventId(now: number = Date.now()): string {
  id.writeUIntBE(Math.max(0, Math.min(Math.floor(now), 2 ** 48 - 1)), 0, 6);
  tails.next().copy(id, 6);
  id[6] = (id[6] & 0x0f) | 0x70; // version 7
  id[8] = (id[8] & 0x3f) | 0x80; // variant 10
  return uuidText(id);
}
