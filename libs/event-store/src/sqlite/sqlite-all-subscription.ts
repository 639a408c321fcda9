import type { AllSubscription, EventFilter, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';

/** What a subscription needs from its store. */
export interface SubscriptionSource {
  /**
   * Matching events after `after`, up to `maxCount`, plus how far the log was scanned: non-matching events are
   * skipped for good, so a sparse filter does not rescan the whole log on every wake-up.
   */
  readPage(after: bigint, filter: EventFilter | undefined, maxCount: number): { events: RecordedEvent[]; scannedTo: bigint };
  /** Calls `listener` after every commit of this store and on notifyAppended(); returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Other processes' commits are seen by polling, unless notifyAppended() reports them sooner. */
  readonly pollIntervalMs: number;
}

const PAGE_SIZE = 500;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Catch-up then live, from one loop: read a page after the checkpoint; when a read comes back empty, sleep until a
 * change is reported (a commit of this store, or notifyAppended()), the poll timer, or close(). SQLite has a single
 * writer, so a reader never sees position N+1 before N and the checkpoint can advance past everything it scanned.
 */
export class SqliteAllSubscription implements AllSubscription {
  private closed = false;
  private wake: (() => void) | undefined;
  private iterator: AsyncGenerator<RecordedEvent, void, undefined> | undefined;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly options: SubscribeToAllOptions,
    private readonly onClosed: (subscription: SqliteAllSubscription) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    this.iterator ??= this.run();
    return this.iterator;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    this.onClosed(this);
  }

  private async *run(): AsyncGenerator<RecordedEvent, void, undefined> {
    let checkpoint = this.options.after ?? -1n;
    try {
      while (!this.closed) {
        const page = this.source.readPage(checkpoint, this.options.filter, PAGE_SIZE);
        checkpoint = page.scannedTo;
        if (page.events.length === 0) {
          // Registered in the same tick as the empty read: no reported change can slip in between.
          await this.waitForChange();
          continue;
        }
        for (const event of page.events) {
          if (this.closed) return;
          yield event;
        }
        // SQLite reads synchronously, and a consumer that awaits only promises would otherwise catch up on the whole
        // backlog without its thread's event loop turning once: no message, timer or report runs meanwhile, and
        // whatever waits for the loop's next turn keeps what it references (a projection thread held 1.2 GB of a
        // 200,000-event catch-up that way). One turn per full page; a shorter one reached the log's end.
        if (page.events.length === PAGE_SIZE && !this.closed) await nextTurn();
      }
    } finally {
      await this.close();
    }
  }

  private waitForChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        unsubscribe();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.source.pollIntervalMs);
      const unsubscribe = this.source.onChange(done);
      this.wake = done;
    });
  }
}
