import { DECISION_MADE, decisionStreamId } from '@verdict/domain';
import { createEventStore, type EventStoreSelection } from '@verdict/event-store';

export interface DurabilityInput {
  /** The stream of every DecisionMade event in the engine's store (decisionStreamsOf). */
  readonly decisionStreams: readonly string[];
  /** Transaction ids the engine answered 201 Created, warm-up included. */
  readonly createdIds: ReadonlySet<string>;
  /** 201 responses counted by the load generator, warm-up included. */
  readonly created: number;
  /** Requests sent but never answered (cut off when a run stopped): the engine may have recorded them. */
  readonly unanswered: number;
}

/** Events read a page: the text only (nothing is parsed), from the engine's store after it stopped. */
const PAGE = 5000;

/** The stream of every DecisionMade event in a store, read-only through its adapter (SQLite, PostgreSQL, EventStoreDB). */
export async function decisionStreamsOf(selection: EventStoreSelection): Promise<string[]> {
  const store = await createEventStore(selection, { readOnly: true });
  try {
    const streams: string[] = [];
    let after = -1n;
    for (;;) {
      const page = await store.readAllText({ after, maxCount: PAGE, filter: { eventTypePrefixes: [DECISION_MADE] } });
      for (const event of page) if (event.type === DECISION_MADE) streams.push(event.streamId);
      if (page.length < PAGE) return streams;
      after = (page[page.length - 1] as { position: bigint }).position;
    }
  } finally {
    await store.close();
  }
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
 * Every 201 is a promise that the decision is durable. Given the store's DecisionMade events (read after the engine
 * has stopped), checks each acknowledged transaction has its event, and that nothing else is there beyond the requests
 * whose answers were lost when the load generator stopped.
 */
export function checkDurability(input: DurabilityInput): DurabilityReport {
  const streams = new Set(input.decisionStreams);
  let missing = 0;
  for (const id of input.createdIds) if (!streams.has(decisionStreamId(id))) missing++;
  const events = input.decisionStreams.length;
  const extra = events - (input.createdIds.size - missing);
  const ok = missing === 0 && input.createdIds.size === input.created && extra >= 0 && extra <= input.unanswered;
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
}
