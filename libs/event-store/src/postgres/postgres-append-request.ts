import { InvalidAppendError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, EventData, ExpectedRevision } from '../event-store.port';

/** An unescaped `\u0000` or `\uD800`-`\uDFFF` escape in JSON text (an even run of backslashes before it is literal). */
const JSONB_REJECTS = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f])/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One validated append, serialised once on the caller's side so the flusher only concatenates JSON. */
export interface AppendRequest {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly eventCount: number;
  /** JSON of `{s, e, ev}` as `append_batch` reads it. */
  readonly json: string;
}

/** One row returned by `append_batch`. */
export interface AppendOutcomeRow {
  out_index: number;
  out_status: 'ok' | 'wrong_expected_revision' | 'duplicate_event_id';
  out_revision: string | null;
  out_position: string | null;
}

function toJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    throw new InvalidAppendError(`${what} is not JSON-serialisable: ${(e as Error).message}`);
  }
  if (json === undefined) throw new InvalidAppendError(`${what} is not JSON-serialisable`);
  // jsonb rejects NUL and lone surrogates (JSON.stringify escapes both as \uXXXX); failing the whole group-commit
  // batch for one bad caller would be wrong, so refuse them here.
  if (JSONB_REJECTS.test(json)) throw new InvalidAppendError(`${what} contains a NUL or unpaired surrogate character`);
  return json;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates an append up front so that nothing a caller passes can fail the shared batch transaction. */
export function toAppendRequest(
  streamId: string,
  events: readonly EventData[],
  expected: ExpectedRevision,
): AppendRequest {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidAppendError('streamId must be a non-empty string');
  if (streamId.includes('\u0000')) throw new InvalidAppendError('streamId must not contain NUL');
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError(`Append to "${streamId}" has no events`);
  let e: string;
  if (typeof expected === 'bigint') {
    if (expected < 0n) throw new InvalidAppendError(`Expected revision ${expected} is negative`);
    e = expected.toString();
  } else if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') {
    e = expected;
  } else {
    throw new InvalidAppendError(`Unknown expected revision ${String(expected)}`);
  }
  const ids = new Set<string>();
  const ev = events.map((event, i) => {
    const where = `Event ${i} of the append to "${streamId}"`;
    if (typeof event?.id !== 'string' || !UUID.test(event.id)) throw new InvalidAppendError(`${where} needs a UUID id`);
    const id = event.id.toLowerCase();
    if (ids.has(id)) throw new InvalidAppendError(`${where} repeats event id ${id}`);
    ids.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.includes('\u0000')) {
      throw new InvalidAppendError(`${where} needs a non-empty type`);
    }
    if (!isPlainObject(event.data)) throw new InvalidAppendError(`${where}: data must be an object`);
    if (event.metadata !== undefined && !isPlainObject(event.metadata)) {
      throw new InvalidAppendError(`${where}: metadata must be an object`);
    }
    return `{"id":${JSON.stringify(id)},"type":${JSON.stringify(event.type)},"data":${toJson(event.data, `${where}: data`)},"metadata":${toJson(event.metadata ?? {}, `${where}: metadata`)}}`;
  });
  const json = `{"s":${JSON.stringify(streamId)},"e":${JSON.stringify(e)},"ev":[${ev.join(',')}]}`;
  if (JSONB_REJECTS.test(json)) throw new InvalidAppendError(`Append to "${streamId}": stream id or type holds a NUL or unpaired surrogate`);
  return { streamId, expected, eventCount: events.length, json };
}

/** Turns one outcome row into the caller's result or typed error. */
export function toAppendResult(request: AppendRequest, row: AppendOutcomeRow | undefined): AppendResult | Error {
  if (!row) return new Error(`append_batch returned no outcome for the append to "${request.streamId}"`);
  switch (row.out_status) {
    case 'ok':
      return { nextExpectedRevision: BigInt(row.out_revision as string), position: BigInt(row.out_position as string) };
    case 'wrong_expected_revision':
      return new WrongExpectedRevisionError(
        request.streamId,
        request.expected,
        row.out_revision === null ? 'no_stream' : BigInt(row.out_revision),
      );
    case 'duplicate_event_id':
      return new InvalidAppendError(`Append to "${request.streamId}" reuses an event id that is already recorded`);
    default:
      return new Error(`append_batch returned unknown status ${String(row.out_status)}`);
  }
}
