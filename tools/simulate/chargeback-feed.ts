/**
 * The chargebacks of a drive: a fraudulent transaction's label becomes known `chargebackAt` after it, in simulated
 * time. The feed holds each one until the simulated clock (the latest transaction sent) passes that instant, then
 * sends it to POST /v1/labels/batch with that simulated instant as `reportedAt`: the transactions' `occurredAt` run on
 * the same clock, so history features (`merchant_fraud_labels_28d`) see a chargeback exactly from when it became
 * known in the simulation, as the trainer does. A simulated instant still ahead of the wall clock (the drive stops
 * within the engine's clock skew of it) is sent as the time of sending, since a label may not be reported in the future.
 */
export interface ChargebackStats {
  /** Labels sent to the engine. */
  readonly sent: number;
  /** Answered 201 or 200. */
  readonly recorded: number;
  /** Answered otherwise, or lost to a transport error. */
  readonly rejected: number;
  /** Not due yet when the drive ended (their chargeback lies after the last simulated transaction). */
  readonly pending: number;
}

interface Due {
  readonly at: number;
  readonly transactionId: string;
  readonly scenario: string | null;
}

/** Labels per request: a chargeback file's worth at most. */
const BATCH = 1_000;

export class ChargebackFeed {
  private readonly queue: Due[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private sent = 0;
  private recorded = 0;
  private rejected = 0;

  constructor(
    private readonly endpoint: string,
    private readonly timeoutMs: number,
    private readonly auth: Record<string, string> = {},
  ) {}

  /** A fraudulent transaction the engine decided: its chargeback is due at `chargebackAt` (simulated time). */
  add(transactionId: string, chargebackAt: string, scenario: string | null): void {
    const at = Date.parse(chargebackAt);
    // Kept sorted by due time; inserts are near the end (chargebacks of recent transactions fall later).
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].at > at) i--;
    this.queue.splice(i, 0, { at, transactionId, scenario });
  }

  /** Sends every chargeback due by the simulated instant `now`. */
  advance(now: string): void {
    const t = Date.parse(now);
    let n = 0;
    while (n < this.queue.length && this.queue[n].at <= t) n++;
    if (n === 0) return;
    const due = this.queue.splice(0, n);
    for (let start = 0; start < due.length; start += BATCH) this.track(this.send(due.slice(start, start + BATCH)));
  }

  /** Waits for the labels in flight; what is not due stays pending. */
  async settle(): Promise<ChargebackStats> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    return { sent: this.sent, recorded: this.recorded, rejected: this.rejected, pending: this.queue.length };
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async send(due: readonly Due[]): Promise<void> {
    const now = Date.now();
    const labels = due.map((d) => ({
      transactionId: d.transactionId,
      labelId: `chargeback-${d.transactionId}`,
      label: 'fraud',
      source: 'chargeback',
      reportedAt: new Date(Math.min(d.at, now)).toISOString(),
      ...(d.scenario ? { note: `simulated ${d.scenario}` } : {}),
    }));
    this.sent += labels.length;
    try {
      const res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-verdict-actor': 'simulator', ...this.auth },
        body: JSON.stringify({ labels }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.status !== 200) {
        await res.text();
        this.rejected += labels.length;
        return;
      }
      const body = (await res.json()) as { created: number; repeated: number; rejected: number };
      this.recorded += body.created + body.repeated;
      this.rejected += body.rejected;
    } catch {
      this.rejected += labels.length;
    }
  }
}
