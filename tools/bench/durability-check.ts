import Database from 'better-sqlite3';
import { DECISION_MADE, decisionStreamId } from '@verdict/domain';

export interface DurabilityInput {
  /** The engine's SQLite event store file. */
  readonly eventStoreFile: string;
  /** Transaction ids the engine answered 201 Created, warm-up included. */
  readonly createdIds: ReadonlySet<string>;
  /** 201 responses counted by the load generator, warm-up included. */
  readonly created: number;
  /** Requests sent but never answered (cut off when a run stopped): the engine may have recorded them. */
  readonly unanswered: number;
}

export interface DurabilityReport {
  readonly decisionMadeEvents: number;
  readonly created201: number;
  /** 201 answers whose DecisionMade event is not in the store: must be 0. */
  readonly acknowledgedButMissing: number;
  /** Events with no 201 counted: allowed up to `unanswered` (recorded, but the answer was cut off). */
  readonly recordedWithoutAnswer: number;
  readonly unanswered: number;
  readonly ok: boolean;
  readonly verdict: string;
}

/**
 * Every 201 is a promise that the decision is durable. Reads the store file read-only (after the engine has
 * stopped) and checks each acknowledged transaction has its DecisionMade event, and that nothing else is there
 * beyond the requests whose answers were lost when the load generator stopped.
 */
export function checkDurability(input: DurabilityInput): DurabilityReport {
  const db = new Database(input.eventStoreFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT stream_id FROM events WHERE type = ?').pluck().all(DECISION_MADE) as string[];
    const streams = new Set(rows);
    let missing = 0;
    for (const id of input.createdIds) if (!streams.has(decisionStreamId(id))) missing++;
    const events = rows.length;
    const extra = events - (input.createdIds.size - missing);
    const ok =
      missing === 0 &&
      input.createdIds.size === input.created &&
      extra >= 0 &&
      extra <= input.unanswered;
    const verdict = ok
      ? extra === 0
        ? `OK: ${input.created} responses 201 = ${events} DecisionMade events`
        : `OK: ${input.created} responses 201, ${events} DecisionMade events (${extra} recorded whose answers were cut off when the load stopped, of ${input.unanswered} unanswered)`
      : `FAILED: ${input.created} responses 201 (${input.createdIds.size} distinct), ${events} DecisionMade events, ${missing} acknowledged but missing, ${extra} recorded without an answer (at most ${input.unanswered} allowed)`;
    return {
      decisionMadeEvents: events,
      created201: input.created,
      acknowledgedButMissing: missing,
      recordedWithoutAnswer: extra,
      unanswered: input.unanswered,
      ok,
      verdict,
    };
  } finally {
    db.close();
  }
}
