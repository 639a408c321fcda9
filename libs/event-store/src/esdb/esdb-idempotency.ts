import { WrongExpectedRevisionError } from '../event-store.errors';
import type { EventData, RecordedEvent } from '../event-store.port';

/** Structural equality of JSON values (key order ignored): what EventStoreDB stores is what the client sent. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * EventStoreDB acknowledges a re-append of already-stored event ids as a success ("idempotent write"), even with
 * expected version NO_STREAM, and reports the original position. The port promises that `no_stream` fails when the
 * stream exists, so after such an append the adapter checks that the stream starts with exactly these events
 * (ids, types, data and metadata). Only a byte-for-byte retry of the same events is a success; a different payload
 * under the same ids means the stream already existed: WrongExpectedRevisionError.
 */
export function assertCreatedByThisAppend(streamId: string, sent: readonly EventData[], stored: readonly RecordedEvent[]): void {
  const same =
    stored.length >= sent.length &&
    sent.every((e, i) => {
      const s = stored[i];
      return s.id === e.id && s.type === e.type && sameJson(s.data, e.data) && sameJson(s.metadata, e.metadata ?? {});
    });
  if (!same) {
    const last = stored.length > 0 ? stored[stored.length - 1].revision : undefined;
    throw new WrongExpectedRevisionError(streamId, 'no_stream', last);
  }
}
