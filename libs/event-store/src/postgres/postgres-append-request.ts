import type { ValidatedAppend } from '../append-validation';
import { InvalidAppendError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, ExpectedRevision } from '../event-store.port';

/** An unescaped `\u0000` or `\uD800`-`\uDFFF` escape in JSON text (an even run of backslashes before it is literal). */
const JSONB_REJECTS = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f])/i;

/** One validated append in the form the group-commit transaction sends. */
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

/**
 * The jsonb form of an append `append_batch` reads: `{s, e, ev}`. Built from text the shared validation already
 * serialised, so building the batch only concatenates JSON.
 * @throws InvalidAppendError for what jsonb cannot hold (failing the shared batch for one caller would be wrong).
 */
export function toAppendRequest(append: ValidatedAppend): AppendRequest {
  const { streamId, expected, events } = append;
  const ev = events.map(
    (event) =>
      `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"data":${event.data},"metadata":${event.metadata}}`,
  );
  const e = typeof expected === 'bigint' ? expected.toString() : expected;
  const json = `{"s":${JSON.stringify(streamId)},"e":${JSON.stringify(e)},"ev":[${ev.join(',')}]}`;
  // jsonb rejects NUL and lone surrogates, which JSON.stringify escapes as \uXXXX.
  if (JSONB_REJECTS.test(json)) throw new InvalidAppendError(`Append to "${streamId}" contains a NUL or unpaired surrogate character`);
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
