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
  /**
   * Decision ids in the order they were first remembered, as a ring: the oldest is forgotten first. (Taking the
   * oldest from the Map itself, keys().next() after deletes, walks over every deleted slot until V8 rehashes.)
   */
  private readonly order: string[] = [];
  private next = 0;

  constructor(private readonly capacity = RECENT_DECISIONS_KEPT) {}

  remember(decisionId: string, transactionId: string): void {
    if (this.byDecisionId.has(decisionId)) return; // a decision id always names the same transaction
    if (this.order.length < this.capacity) this.order.push(decisionId);
    else {
      this.byDecisionId.delete(this.order[this.next] as string);
      this.order[this.next] = decisionId;
      this.next = (this.next + 1) % this.capacity;
    }
    this.byDecisionId.set(decisionId, transactionId);
  }

  transactionOf(decisionId: string): string | undefined {
    return this.byDecisionId.get(decisionId);
  }
}
