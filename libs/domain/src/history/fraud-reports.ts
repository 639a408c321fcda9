const DAY = 86_400_000;

/** Labels kept per terminal at most (the oldest go first): the count saturates there. */
export const MAX_LABELS_PER_MERCHANT = 1024;
/** Labels reported this long before the newest one applied are dropped: twice the longest window read. */
const RETAIN_MS = 56 * DAY;

/**
 * The labels of one terminal's transactions, as the log delivered them: which transaction, when the label became known
 * (`reportedAt`) and whether it said fraud. A transaction's label in force at T is its latest reported at or before T
 * (a later "legitimate" retracts an earlier "fraud" from its own reportedAt on, as `labelAsOf` rules), so the count is
 * exactly "as known at T" whatever order the labels arrived in.
 */
export class FraudReports {
  private readonly transactions: string[] = [];
  private readonly reportedAt: number[] = [];
  private readonly fraud: boolean[] = [];
  private newest = Number.NEGATIVE_INFINITY;

  get size(): number {
    return this.transactions.length;
  }

  add(transactionId: string, reportedAtMs: number, isFraud: boolean): void {
    this.transactions.push(transactionId);
    this.reportedAt.push(reportedAtMs);
    this.fraud.push(isFraud);
    if (reportedAtMs > this.newest) this.newest = reportedAtMs;
    let drop = Math.max(0, this.transactions.length - MAX_LABELS_PER_MERCHANT);
    while (drop < this.reportedAt.length && (this.reportedAt[drop] as number) < this.newest - RETAIN_MS) drop++;
    if (drop > 0) {
      this.transactions.splice(0, drop);
      this.reportedAt.splice(0, drop);
      this.fraud.splice(0, drop);
    }
  }

  /** Whether it holds a label for this transaction (a "legitimate" one is kept only to retract an earlier fraud). */
  has(transactionId: string): boolean {
    return this.transactions.includes(transactionId);
  }

  /**
   * Transactions whose label in force at `atMs` says fraud and was reported in the `windowMs` before it:
   * reportedAt in (atMs - windowMs, atMs].
   */
  fraudAt(atMs: number, windowMs: number): number {
    const latest = new Map<string, number>();
    for (let i = 0; i < this.transactions.length; i++) {
      const r = this.reportedAt[i] as number;
      if (r > atMs) continue;
      const tx = this.transactions[i] as string;
      const best = latest.get(tx);
      // Ties go to the later in the log, as labelAsOf rules.
      if (best === undefined || r >= (this.reportedAt[best] as number)) latest.set(tx, i);
    }
    let n = 0;
    for (const i of latest.values()) if (this.fraud[i] && (this.reportedAt[i] as number) > atMs - windowMs) n++;
    return n;
  }
}
