import { randomFillSync } from 'node:crypto';

const RANDOM_BYTES = 10;
/** Random bits come from a pool the CSPRNG fills 256 ids at a time; each slice is used once. */
const pool = Buffer.alloc(RANDOM_BYTES * 256);
let offset = pool.length;
const id = Buffer.alloc(16);

/**
 * A fresh event id: an RFC 9562 version-7 UUID, 48 bits of Unix milliseconds then 74 random bits. As unique as a
 * random (v4) id, but ids made in a later millisecond sort after earlier ones, so a store's unique index of event ids
 * takes each new id at its end rather than at a random place (docs/benchmarks.md).
 * Nothing reads a time or an order from an event id; a clock that steps back costs only that locality.
 */
export function newEventId(now: number = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  id.writeUIntBE(Math.max(0, Math.min(Math.floor(now), 2 ** 48 - 1)), 0, 6);
  pool.copy(id, 6, offset, offset + RANDOM_BYTES);
  offset += RANDOM_BYTES;
  id[6] = (id[6] & 0x0f) | 0x70; // version 7
  id[8] = (id[8] & 0x3f) | 0x80; // variant 10
  const h = id.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
