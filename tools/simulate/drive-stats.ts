/** Counters and latencies of a `drive` run; cumulative, plus a window that each progress line resets. */
export interface DriveSummary {
  readonly planned: number;
  readonly sent: number;
  /** Scheduled but never sent because every in-flight slot stayed busy until the run ended. */
  readonly unsent: number;
  readonly completed: number;
  /** 2xx answers. */
  readonly succeeded: number;
  /** Non-2xx answers and transport errors. */
  readonly failed: number;
  /** 200 answers flagged `idempotent-replayed: true` (the transaction was decided before). */
  readonly replayed: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
  readonly elapsedSeconds: number;
  /** The rate asked for (--rate). */
  readonly requestedRate: number;
  readonly achievedRate: number;
  /**
   * Why the run did not send on schedule, or null when it kept up (every planned request sent, none more than 100 ms
   * late): `concurrency` when requests waited for a free in-flight slot (the engine answers too slowly for
   * --concurrency), `client` when this process itself could not send fast enough.
   */
  readonly fellBehind: null | { readonly reason: 'concurrency' | 'client'; readonly latestSendMs: number; readonly slotWaitSeconds: number };
  /**
   * The simulated instant at which the run stopped because it had reached the present (the engine refuses
   * transactions dated in the future), or null.
   */
  readonly reachedPresentAt: string | null;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const latencySummary = (values: readonly number[]) => {
  const sorted = Float64Array.from(values).sort();
  const arr = Array.from(sorted);
  return { p50: percentile(arr, 50), p99: percentile(arr, 99), max: arr.at(-1) ?? 0 };
};

const counts = (c: Record<string, number>): string =>
  Object.keys(c).length === 0 ? '-' : Object.entries(c).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}:${v}`).join(' ');

/** A request sent later than this after its scheduled time counts as falling behind. */
export const LATE_SEND_MS = 100;

export class DriveStats {
  sent = 0;
  /** The most any request was sent after its scheduled time. */
  latestSendMs = 0;
  /** Time the sender spent waiting for a free in-flight slot. */
  slotWaitMs = 0;
  /** Set when the simulated clock ran past the present and the run stopped there. */
  reachedPresentAt: string | null = null;
  completed = 0;
  succeeded = 0;
  failed = 0;
  replayed = 0;
  readonly outcomes: Record<string, number> = {};
  readonly statuses: Record<string, number> = {};
  readonly errors: Record<string, number> = {};
  private readonly latencies: number[] = [];
  private window: number[] = [];
  private windowStartCompleted = 0;

  recordResponse(status: number, latencyMs: number, outcome: string | null, replayed: boolean): void {
    this.complete(latencyMs);
    bump(this.statuses, String(status));
    if (status >= 200 && status < 300) {
      this.succeeded++;
      bump(this.outcomes, outcome ?? 'unknown');
      if (replayed) this.replayed++;
    } else {
      this.failed++;
    }
  }

  recordError(code: string, latencyMs: number): void {
    this.complete(latencyMs);
    this.failed++;
    bump(this.errors, code);
  }

  private complete(latencyMs: number): void {
    this.completed++;
    this.latencies.push(latencyMs);
    this.window.push(latencyMs);
  }

  /** One progress line; latencies and rate cover the time since the previous line. */
  progressLine(elapsedSeconds: number, windowSeconds: number, inFlight: number, due?: number): string {
    const windowRate = windowSeconds > 0 ? (this.completed - this.windowStartCompleted) / windowSeconds : 0;
    const l = latencySummary(this.window);
    this.window = [];
    this.windowStartCompleted = this.completed;
    return (
      `[${elapsedSeconds.toFixed(1).padStart(6)}s] sent ${this.sent} done ${this.completed} in-flight ${inFlight} ` +
      `rate ${windowRate.toFixed(1)}/s p50 ${l.p50.toFixed(1)}ms p99 ${l.p99.toFixed(1)}ms | ` +
      `outcomes ${counts(this.outcomes)} | http ${counts(this.statuses)} | errors ${counts(this.errors)}` +
      (due !== undefined && due - this.sent > 0 && this.latestSendMs > LATE_SEND_MS ? ` | BEHIND by ${due - this.sent} requests` : '')
    );
  }

  summary(planned: number, elapsedSeconds: number, requestedRate: number): DriveSummary {
    const behind = (planned - this.sent > 0 && this.reachedPresentAt === null) || this.latestSendMs > LATE_SEND_MS;
    return {
      planned,
      sent: this.sent,
      unsent: planned - this.sent,
      completed: this.completed,
      succeeded: this.succeeded,
      failed: this.failed,
      replayed: this.replayed,
      outcomes: { ...this.outcomes },
      statuses: { ...this.statuses },
      errors: { ...this.errors },
      elapsedSeconds,
      requestedRate,
      achievedRate: elapsedSeconds > 0 ? this.completed / elapsedSeconds : 0,
      fellBehind: behind
        ? {
            // Waiting for slots for more than a tenth of the run is the concurrency limit; otherwise this process was slow.
            reason: this.slotWaitMs > elapsedSeconds * 100 ? 'concurrency' : 'client',
            latestSendMs: Math.round(this.latestSendMs),
            slotWaitSeconds: Math.round(this.slotWaitMs) / 1000,
          }
        : null,
      latencyMs: latencySummary(this.latencies),
      reachedPresentAt: this.reachedPresentAt,
    };
  }
}

export function formatSummary(s: DriveSummary): string {
  return [
    `planned ${s.planned}, sent ${s.sent}, unsent ${s.unsent}, completed ${s.completed} in ${s.elapsedSeconds.toFixed(2)}s ` +
      `(${s.achievedRate.toFixed(1)}/s)`,
    `succeeded ${s.succeeded} (replayed ${s.replayed}), failed ${s.failed}`,
    `outcomes: ${counts(s.outcomes)}`,
    `http status: ${counts(s.statuses)}`,
    `errors: ${counts(s.errors)}`,
    `latency ms: p50 ${s.latencyMs.p50.toFixed(2)}, p99 ${s.latencyMs.p99.toFixed(2)}, max ${s.latencyMs.max.toFixed(2)}`,
    ...(s.fellBehind ? [behindLine(s, s.fellBehind)] : []),
    ...(s.reachedPresentAt
      ? [`STOPPED at the present: the next transaction occurred at ${s.reachedPresentAt} in simulated time, and the engine refuses transactions dated in the future. Start the simulation earlier (--start-date) or send fewer transactions.`]
      : []),
  ].join('\n') + '\n';
}

function behindLine(s: DriveSummary, b: NonNullable<DriveSummary['fellBehind']>): string {
  const what = `FELL BEHIND: asked for ${s.requestedRate}/s, achieved ${s.achievedRate.toFixed(1)}/s; ${s.unsent} of ${s.planned} planned requests unsent, a send up to ${b.latestSendMs} ms late.`;
  return b.reason === 'concurrency'
    ? `${what} Every in-flight slot was busy for ${b.slotWaitSeconds} s: the engine answered too slowly for --concurrency; raise it, or the engine is at its limit.`
    : `${what} This process could not send fast enough (its own CPU): the figures understate what the engine could take.`;
}
