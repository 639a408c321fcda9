import type { EventStore } from '@verdict/event-store/event-store.port';

/** Lag is counted up to this many events; beyond, it reads "at least this" (a scrape must never read the whole log). */
export const PROJECTION_LAG_LIMIT = 100_000;

/**
 * A projection's lag in events: those of its types after its checkpoint, which it has still to apply. Counted, not
 * subtracted: positions are not counts (EventStoreDB's are byte offsets), and a checkpoint moves only with the events
 * a projection handles, so the head position minus the checkpoint would never reach 0 while other events follow.
 */
export function projectionLag(store: EventStore, eventTypes: readonly string[], checkpoint: bigint): Promise<number> {
  return store.countEvents({ after: checkpoint, filter: { eventTypePrefixes: [...eventTypes] }, limit: PROJECTION_LAG_LIMIT });
}

/** How long one count of a projection's lag answers readiness probes and metric scrapes: a count may read 100,000 rows. */
export const LAG_REUSE_MS = 1_000;

/** How long a count may run before its callers are told it failed (a query on a dead connection may hang for minutes). */
export const LAG_TIMEOUT_MS = 2_000;

/**
 * A lag that probes and scrapes share: counted at most once per `reuseMs`, and a count still running answers every
 * caller, so they never stack up behind a slow one; after `timeoutMs` it fails them and the next caller counts
 * again. A failed count is reused too (its callers each see the error).
 */
export class SharedLag {
  private last?: { readonly at: number; readonly lag: Promise<number>; pending: boolean };

  constructor(
    private readonly count: () => Promise<number>,
    private readonly reuseMs = LAG_REUSE_MS,
    private readonly timeoutMs = LAG_TIMEOUT_MS,
  ) {}

  get(): Promise<number> {
    const now = performance.now();
    if (this.last && (this.last.pending || now - this.last.at < this.reuseMs)) return this.last.lag;
    let timer: NodeJS.Timeout | undefined;
    const lag = Promise.race([
      this.count(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the lag was not counted within ${this.timeoutMs} ms`)), this.timeoutMs);
        timer.unref();
      }),
    ]).finally(() => clearTimeout(timer));
    const last = { at: now, lag, pending: true };
    lag.then(
      () => (last.pending = false),
      () => (last.pending = false), // its callers see the rejection; the kept copy must not be reported unhandled
    );
    this.last = last;
    return lag;
  }
}
