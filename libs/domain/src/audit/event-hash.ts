import { createHash, hash } from 'node:crypto';
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

/** An event's identity with its data and metadata as stored JSON text (the event store's `readAllText`). */
export interface HashableEventText extends Omit<HashableEvent, 'data' | 'metadata'> {
  readonly dataJson: string;
  readonly metadataJson: string;
}

/**
 * The hash `eventHash` gives the event IF its stored text is canonical JSON: the canonical event assembled around the
 * text, with no parse. When the text is not canonical (jsonb, an older store, a tampered row) the result is simply
 * another hash, so a caller compares it with the sealed one and falls back to `eventHash` of the parsed event on any
 * difference. A match is as strong as the full computation: sha256 over the very bytes the seal hashed.
 */
export function eventHashOfText(e: HashableEventText): Buffer {
  // canonicalEvent's keys in sorted order: data, id, metadata, position, revision, stream, type.
  const text = `{"data":${e.dataJson},"id":${JSON.stringify(e.id)},"metadata":${e.metadataJson},"position":"${e.position}","revision":"${e.revision}","stream":${JSON.stringify(e.streamId)},"type":${JSON.stringify(e.type)}}`;
  return hash('sha256', text, 'buffer');
}
