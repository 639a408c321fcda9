import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';

/** The parts of a stored event that its hash covers (recordedAt is not: it is the store's clock, not the fact). */
export interface HashableEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly data: unknown;
  readonly metadata: unknown;
}

/**
 * The object whose canonical JSON is hashed. Revision and position are decimal strings: they are 64-bit and JSON
 * numbers are not. Build it from the event as READ BACK from the store: PostgreSQL's jsonb reorders keys, so only the
 * canonical form of what is stored is stable.
 */
export function canonicalEvent(e: HashableEvent): Record<string, unknown> {
  return { id: e.id, type: e.type, stream: e.streamId, revision: e.revision.toString(), position: e.position.toString(), data: e.data, metadata: e.metadata };
}

/** sha256 over the UTF-8 bytes of the canonical JSON of `canonicalEvent(e)`. */
export function eventHash(e: HashableEvent): Buffer {
  return createHash('sha256').update(canonicalJson(canonicalEvent(e)), 'utf8').digest();
}
