import { canonicalJson } from '@verdict/domain/canonical-json';
import { InvalidAppendError } from './event-store.errors';
import type { EventData, ExpectedRevision } from './event-store.port';

/**
 * The one validation of an append, shared by every adapter, so that an append one store accepts every store accepts.
 * It runs on the caller's side before the append joins a group-commit batch: nothing a caller passes can fail the
 * shared transaction of its neighbours. Adapter-specific serialisation (jsonb, the EventStoreDB client's events)
 * starts from its result.
 */

/** An event checked and serialised once: a lower-case UUID, a type, and its data and metadata as JSON text. */
export interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export interface ValidatedAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly SerializedEvent[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Stream ids and event types are non-empty text without NUL (PostgreSQL text cannot hold it), and a leading `$` is
 * reserved for EventStoreDB's system streams and types on every adapter.
 */
function checkName(name: unknown, what: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidAppendError(`${what} must be a non-empty string`);
  if (name.includes('\u0000')) throw new InvalidAppendError(`${what} must not contain NUL`);
  if (name.startsWith('$')) throw new InvalidAppendError(`${what} "${name}": a leading '$' is reserved for system names`);
}

function checkExpected(expected: unknown): asserts expected is ExpectedRevision {
  const valid =
    expected === 'any' ||
    expected === 'no_stream' ||
    expected === 'stream_exists' ||
    (typeof expected === 'bigint' && expected >= 0n);
  if (!valid) throw new InvalidAppendError(`Invalid expectedRevision ${String(expected)}`);
}

/**
 * How an adapter wants data and metadata written: `canonical` (keys sorted, as canonicalJson writes them) where the
 * text is stored as given, so that what is stored is byte for byte what an audit seal hashes and verification can hash
 * the stored text without parsing it; `plain` where the store re-encodes it anyway (PostgreSQL's jsonb).
 */
export type JsonForm = 'canonical' | 'plain';

function toJson(value: Record<string, unknown>, what: string, form: JsonForm): string {
  let json: string | undefined;
  try {
    json = form === 'canonical' ? canonicalJson(value) : JSON.stringify(value);
  } catch (e) {
    throw new InvalidAppendError(`${what} is not JSON-serialisable: ${e instanceof Error ? e.message : String(e)}`);
  }
  // A toJSON() returning undefined serialises to nothing at all.
  if (typeof json !== 'string' || !json.startsWith('{')) throw new InvalidAppendError(`${what} does not serialise to a JSON object`);
  return json;
}

/** @throws InvalidAppendError naming the first thing wrong with the append. */
export function validateAppend(streamId: string, events: readonly EventData[], expected: ExpectedRevision, form: JsonForm = 'plain'): ValidatedAppend {
  checkName(streamId, 'streamId');
  checkExpected(expected);
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError(`Append to "${streamId}" has no events`);
  const ids = new Set<string>();
  const serialized = events.map((event: EventData, i): SerializedEvent => {
    const where = `Event #${i} of the append to "${streamId}"`;
    if (typeof event?.id !== 'string' || !UUID.test(event.id)) throw new InvalidAppendError(`${where} needs a UUID id`);
    // Stored in the lower-case form EventStoreDB uses, so a repeat in another case is the same id everywhere.
    const id = event.id.toLowerCase();
    if (ids.has(id)) throw new InvalidAppendError(`${where} repeats id ${id}`);
    ids.add(id);
    checkName(event.type, `${where}: type`);
    if (!isPlainObject(event.data)) throw new InvalidAppendError(`${where}: data must be an object`);
    if (event.metadata !== undefined && !isPlainObject(event.metadata)) {
      throw new InvalidAppendError(`${where}: metadata must be an object`);
    }
    return {
      id,
      type: event.type,
      data: toJson(event.data, `${where}: data`, form),
      metadata: toJson(event.metadata ?? {}, `${where}: metadata`, form),
    };
  });
  return { streamId, expected, events: serialized };
}
