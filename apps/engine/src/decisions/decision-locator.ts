import { Inject, Injectable } from '@nestjs/common';
import { DECISION_MADE, decisionStreamId } from '@verdict/domain';
import type { EventStore, RecordedEvent } from '@verdict/event-store';
import { DECISION_QUERIES, DECISION_RANGES, EVENT_STORE } from '../infrastructure/tokens';
import type { DecisionQueriesPort } from './decision-queries.port';
import type { DecisionRangesPort } from './decision-ranges.port';
import { RecentDecisions } from './recent-decisions';

/** Most events of the unprojected tail of the log one lookup reads before it gives up (a read model far behind). */
export const TAIL_SCAN_LIMIT = 20_000;
const TAIL_PAGE = 500;

/**
 * Finds a decision's DecisionMade by its id, read-your-writes: a decision whose 201 has been sent is found even
 * before the read model has applied it.
 *  1. The read model (decision_history) names its stream.
 *  2. Else this instance's RecentDecisions (it answered the decision itself).
 *  3. Else the log after the read model's checkpoint, scanned for the decision id (in each DecisionMade's data): a
 *     decision answered by another instance. The checkpoint is read before step 1, so a decision at
 *     or below it is in the read model; the scan stops after TAIL_SCAN_LIMIT events, beyond which the answer is 404
 *     until the read model catches up (a projector that far behind is alerted on: docs/audit.md).
 * The event itself always comes from the store.
 */
@Injectable()
export class DecisionLocator {
  constructor(
    @Inject(DECISION_QUERIES) private readonly queries: DecisionQueriesPort,
    @Inject(DECISION_RANGES) private readonly ranges: DecisionRangesPort,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly recent: RecentDecisions,
  ) {}

  async find(decisionId: string): Promise<RecordedEvent | null> {
    const projectedThrough = await this.ranges.projectedThrough();
    const location = await this.queries.findLocation(decisionId);
    if (location) return this.readDecision(location.streamId, decisionId);
    const transactionId = this.recent.transactionOf(decisionId);
    if (transactionId !== undefined) return this.readDecision(decisionStreamId(transactionId), decisionId);
    return this.scanTail(projectedThrough, decisionId);
  }

  private async readDecision(streamId: string, decisionId: string): Promise<RecordedEvent | null> {
    const [first] = await this.store.readStream(streamId, { maxCount: 1 });
    return first && first.type === DECISION_MADE && decisionIdOf(first) === decisionId ? first : null;
  }

  private async scanTail(after: bigint, decisionId: string): Promise<RecordedEvent | null> {
    let position = after;
    for (let scanned = 0; scanned < TAIL_SCAN_LIMIT; ) {
      const page = await this.store.readAll({ after: position, maxCount: TAIL_PAGE, filter: { eventTypePrefixes: [DECISION_MADE] } });
      const found = page.find((e) => e.type === DECISION_MADE && decisionIdOf(e) === decisionId);
      if (found) return found;
      if (page.length < TAIL_PAGE) return null;
      position = page[page.length - 1].position;
      scanned += page.length;
    }
    return null;
  }
}

/** A DecisionMade's decision id is in its data (older events also carry it as their event id; newer ones a fresh one). */
const decisionIdOf = (e: RecordedEvent): unknown => (e.data as { decisionId?: unknown }).decisionId;
