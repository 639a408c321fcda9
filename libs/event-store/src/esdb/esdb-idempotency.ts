import type { EventData, ExpectedRevision, RecordedEvent } from '../event-store.port';

/** Structural equality of JSON values (key order ignored): what EventStoreDB stores is what the client sent. */
function sameJson(a: unknown, b: unknown): boolean {
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
 * expected version NO_STREAM or an exact revision the stream has moved past, and reports the original result. The
 * port promises that those expectations fail when the stream is elsewhere, so after such an append the adapter reads
 * the acknowledged range back and checks it holds exactly these events (ids, types, data and metadata). Only a retry
 * of the same events is a success; a different payload under the same ids means the check should have failed.
 * Returns whether the stored range matches.
 */
export function storedByThisAppend(sent: readonly EventData[], stored: readonly RecordedEvent[]): boolean {
  return (
    stored.length === sent.length &&
    sent.every((e, i) => {
      const s = stored[i];
      // Ids go out lower-cased (the server's Guid format), so compare them case-insensitively.
      return (
        s.id.toLowerCase() === e.id.toLowerCase() &&
        s.type === e.type &&
        sameJson(s.data, e.data) &&
        sameJson(s.metadata, e.metadata ?? {})
      );
    })
  );
}

/** The expectations EventStoreDB may satisfy idempotently although the port says they fail. */
export const needsReadBack = (expected: ExpectedRevision): boolean => expected === 'no_stream' || typeof expected === 'bigint';
