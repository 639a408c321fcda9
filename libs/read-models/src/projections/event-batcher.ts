import type { RecordedEvent } from '@verdict/event-store/event-store.port';

const NOT_READY = Symbol('not-ready');

/** Resolves after pending I/O callbacks and microtasks: whatever an iterator can yield "now" has been yielded. */
const afterPendingWork = (): Promise<typeof NOT_READY> => new Promise((resolve) => setImmediate(() => resolve(NOT_READY)));

/**
 * Groups a subscription into batches: wait for one event, then take what is already available, up to `maxSize`.
 * An unanswered `next()` is kept for the following batch rather than dropped, so no event is ever lost.
 */
export class EventBatcher {
  private pending: Promise<IteratorResult<RecordedEvent>> | undefined;
  private ended = false;

  constructor(
    private readonly iterator: AsyncIterator<RecordedEvent>,
    private readonly maxSize: number,
  ) {}

  /** The next batch (never empty), or null when the subscription has ended. Store errors are thrown. */
  async next(): Promise<RecordedEvent[] | null> {
    if (this.ended) return null;
    const first = await this.take();
    if (first.done) {
      this.ended = true;
      return null;
    }
    const batch = [first.value];
    while (batch.length < this.maxSize) {
      const next = this.iterator.next();
      const result = await Promise.race([next, afterPendingWork()]);
      if (result === NOT_READY) {
        // Keep it; mark it handled so a rejection while we are applying the batch is not "unhandled" (it is
        // re-awaited, and thrown, by the next call).
        next.catch(() => undefined);
        this.pending = next;
        break;
      }
      if (result.done) {
        this.ended = true;
        break;
      }
      batch.push(result.value);
    }
    return batch;
  }

  private take(): Promise<IteratorResult<RecordedEvent>> {
    const pending = this.pending;
    this.pending = undefined;
    return pending ?? this.iterator.next();
  }
}
