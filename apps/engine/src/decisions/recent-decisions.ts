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
  private readonly byDecisionId = new Map<string, string>();

  constructor(private readonly capacity = RECENT_DECISIONS_KEPT) {}

  remember(decisionId: string, transactionId: string): void {
    this.byDecisionId.delete(decisionId);
    this.byDecisionId.set(decisionId, transactionId);
    if (this.byDecisionId.size > this.capacity) {
      const oldest = this.byDecisionId.keys().next().value;
      if (oldest !== undefined) this.byDecisionId.delete(oldest);
    }
  }

  transactionOf(decisionId: string): string | undefined {
    return this.byDecisionId.get(decisionId);
  }
}
