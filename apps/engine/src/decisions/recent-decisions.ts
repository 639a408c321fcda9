import { BoundedMap } from '@verdict/domain/bounded-map';

/** How many acknowledged decisions this instance remembers; the oldest is forgotten first. About 150 bytes each. */
export const RECENT_DECISIONS_KEPT = 50_000;

/**
 * The decisions this instance has answered (201, or 200 for a retry), by decision id → transaction id: the first
 * thing a client reads back is the `Location` it was just given, usually before the read model has applied it.
 * Decision ids are UUID v5 hashes of the transaction id and cannot be turned back into the stream name, so without
 * this map (or the read model) only a scan of the log could find the stream. Bounded, in memory, per process: it only
 * has to bridge the projection's lag, and the locator scans the unprojected tail for decisions answered elsewhere.
 */
export class RecentDecisions {
  /** Oldest first; a decision id always names the same transaction, so it is never set twice. */
  private readonly byDecisionId: BoundedMap<string, string>;

  constructor(capacity = RECENT_DECISIONS_KEPT) {
    this.byDecisionId = new BoundedMap(capacity);
  }

  remember(decisionId: string, transactionId: string): void {
    if (!this.byDecisionId.has(decisionId)) this.byDecisionId.set(decisionId, transactionId);
  }

  transactionOf(decisionId: string): string | undefined {
    return this.byDecisionId.get(decisionId);
  }
}
