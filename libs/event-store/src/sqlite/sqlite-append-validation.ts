import { InvalidAppendError } from '../event-store.errors';
import type { EventData, ExpectedRevision } from '../event-store.port';
import type { SerializedEvent } from './sqlite-write-protocol';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function serialize(value: Record<string, unknown>, what: string): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    throw new InvalidAppendError(`${what} is not JSON-serialisable: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Checks and serialises an append up front, so a bad input fails its own caller before it joins a batch. */
export function validateAppend(
  streamId: string,
  events: readonly EventData[],
  expected: ExpectedRevision,
): SerializedEvent[] {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new InvalidAppendError('streamId must be a non-empty string');
  }
  const validExpected =
    expected === 'any' ||
    expected === 'no_stream' ||
    expected === 'stream_exists' ||
    (typeof expected === 'bigint' && expected >= 0n);
  if (!validExpected) throw new InvalidAppendError(`Invalid expectedRevision ${String(expected)}`);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError(`Append to "${streamId}" has no events`);
  }
  const ids = new Set<string>();
  return events.map((event, i) => {
    const where = `Event #${i} of the append to "${streamId}"`;
    if (typeof event.id !== 'string' || event.id.length === 0) throw new InvalidAppendError(`${where} has no id`);
    if (ids.has(event.id)) throw new InvalidAppendError(`${where} repeats id ${event.id}`);
    ids.add(event.id);
    if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidAppendError(`${where} has no type`);
    if (!isPlainObject(event.data)) throw new InvalidAppendError(`${where}: data must be an object`);
    if (event.metadata !== undefined && !isPlainObject(event.metadata)) {
      throw new InvalidAppendError(`${where}: metadata must be an object`);
    }
    return {
      id: event.id,
      type: event.type,
      data: serialize(event.data, `${where} data`),
      metadata: serialize(event.metadata ?? {}, `${where} metadata`),
    };
  });
}
