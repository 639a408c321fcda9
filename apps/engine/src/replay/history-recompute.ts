import { applyToHistory, HISTORY_EVENT_TYPES, HistoryState, historyAsOf, historyFeatureValues, type DecisionMade, type LoggedEvent } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';

/** Events read per page while the state moves forward. */
const PAGE = 2000;

/** A state moving forward through the log, with the events read past where it stands kept for later. */
interface Cursor {
  readonly state: HistoryState;
  /** The last page read, and how much of it has been applied. */
  ahead: readonly LoggedEvent[];
  next: number;
  after: bigint;
  ended: boolean;
}

/**
 * History features of recorded decisions, computed again from the log as of each one's `featuresAsOf` with the bound
 * it recorded (the recompute-features replay). Decisions come in log order and their `featuresAsOf` mostly rises with
 * it, so one state per bound moves forward through the log once. A decision whose `featuresAsOf` lies behind where
 * that state stands (scored on an older view than one before it) gets a state of its own, built from the start: exact,
 * and rare.
 */
export class HistoryRecompute {
  private readonly cursors = new Map<number, Cursor>();

  constructor(private readonly store: EventStore) {}

  /** The values of `names` for `decision` as its history stood at `featuresAsOf`. */
  async values(decision: DecisionMade, names: readonly string[]): Promise<number[]> {
    if (decision.featuresAsOf === undefined || decision.historyMaxEntities === undefined) {
      throw new Error('the decision records no featuresAsOf: it read no history features');
    }
    const asOf = BigInt(decision.featuresAsOf);
    const bound = decision.historyMaxEntities;
    let cursor = this.cursors.get(bound);
    if (cursor === undefined) this.cursors.set(bound, (cursor = { state: new HistoryState(bound), ahead: [], next: 0, after: 0n, ended: false }));
    if (cursor.state.appliedThrough > asOf) {
      return historyFeatureValues(await historyAsOf(this.log(), asOf, bound), decision.request, names);
    }
    await this.advance(cursor, asOf);
    return historyFeatureValues(cursor.state, decision.request, names);
  }

  private async advance(cursor: Cursor, asOf: bigint): Promise<void> {
    for (;;) {
      while (cursor.next < cursor.ahead.length && (cursor.ahead[cursor.next] as LoggedEvent).position <= asOf) {
        applyToHistory(cursor.state, cursor.ahead[cursor.next++] as LoggedEvent);
      }
      if (cursor.next < cursor.ahead.length || cursor.ended) return;
      const page = await this.store.readAll({ after: cursor.after, maxCount: PAGE, filter: { eventTypePrefixes: [...HISTORY_EVENT_TYPES] } });
      if (page.length === 0) {
        cursor.ended = true;
        return;
      }
      cursor.after = (page.at(-1) as LoggedEvent).position;
      cursor.ahead = page;
      cursor.next = 0;
    }
  }

  private async *log(): AsyncIterable<LoggedEvent> {
    for (let after = 0n; ; ) {
      const page = await this.store.readAll({ after, maxCount: PAGE, filter: { eventTypePrefixes: [...HISTORY_EVENT_TYPES] } });
      if (page.length === 0) return;
      yield* page;
      after = (page.at(-1) as LoggedEvent).position;
    }
  }
}
