import type { RecordedEvent } from '@verdict/event-store/event-store.port';

const NOT_READY = Symbol('not-ready');

/** Resolves after pending I/O callbacks and microtasks: whatever an iterator can yield "now" has been yielded. */
const afterPendingWork = (): Promise<typeof NOT_READY> => new Promise((resolve) => setImmediate(() => resolve(NOT_READY)));

export interface EventBatcherOptions {
  /** Most events per batch. */
  readonly maxSize: number;
  /**
   * Least time between the starts of two batches. A batch whose first event arrives sooner after the previous
   * batch keeps collecting until then (or until full). Idle, the first event is still handed out at once; under a
   * steady trickle batches grow instead of the transactions per second. 0 disables the hold.
   */
  readonly minIntervalMs?: number;
}

/**
 * Groups a subscription into batches: wait for one event, take what is already available, and, when the previous
 * batch started less than `minIntervalMs` ago, keep taking arrivals until that interval is over; never more than
 * `maxSize`. An unanswered `next()` is kept for the following batch rather than dropped, so no event is ever lost.
 */
export class EventBatcher {
  private readonly maxSize: number;
  private readonly minIntervalMs: number;
  private pending: Promise<IteratorResult<RecordedEvent>> | undefined;
  private ended = false;
  private lastBatchAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly iterator: AsyncIterator<RecordedEvent>,
    options: EventBatcherOptions | number,
  ) {
    const opts = typeof options === 'number' ? { maxSize: options } : options;
    this.maxSize = opts.maxSize;
    this.minIntervalMs = opts.minIntervalMs ?? 0;
    if (!Number.isInteger(this.maxSize) || this.maxSize < 1) throw new RangeError('maxSize must be a positive integer');
    if (!(this.minIntervalMs >= 0)) throw new RangeError('minIntervalMs must be >= 0');
  }

  /** The next batch (never empty), or null when the subscription has ended. Store errors are thrown. */
  async next(): Promise<RecordedEvent[] | null> {
    if (this.ended) return null;
    const first = await this.take();
    if (first.done) {
      this.ended = true;
      return null;
    }
    const batch = [first.value];
    // One setImmediate per batch, not per event: a buffered iterator answers within microtasks, before it fires.
    await this.collect(batch, afterPendingWork());
    const holdMs = this.lastBatchAt + this.minIntervalMs - performance.now();
    if (holdMs > 0 && batch.length < this.maxSize && !this.ended) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<typeof NOT_READY>((resolve) => (timer = setTimeout(() => resolve(NOT_READY), holdMs)));
      try {
        await this.collect(batch, deadline);
      } finally {
        clearTimeout(timer);
      }
    }
    this.lastBatchAt = performance.now();
    return batch;
  }

  /** Adds events to `batch` until it is full, the iteration ends, or `stop` resolves first. */
  private async collect(batch: RecordedEvent[], stop: Promise<typeof NOT_READY>): Promise<void> {
    while (batch.length < this.maxSize) {
      const next = this.take();
      const result = await Promise.race([next, stop]);
      if (result === NOT_READY) {
        // Keep it; mark it handled so a rejection while we are applying the batch is not "unhandled" (it is
        // re-awaited, and thrown, by the next call).
        next.catch(() => undefined);
        this.pending = next;
        return;
      }
      if (result.done) {
        this.ended = true;
        return;
      }
      batch.push(result.value);
    }
  }

  private take(): Promise<IteratorResult<RecordedEvent>> {
    const pending = this.pending;
    this.pending = undefined;
    return pending ?? this.iterator.next();
  }
}
