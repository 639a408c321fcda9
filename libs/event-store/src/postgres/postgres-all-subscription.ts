import type { AllSubscription, EventFilter, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import type { PostgresChangeNotifier } from './postgres-change-notifier';

/** One page of the global log plus how far it proves there is nothing more to deliver. */
export interface LogPage {
  readonly events: RecordedEvent[];
  /**
   * Every position up to this one has been considered: the last event's position when the page is full, else the
   * log head in the same snapshot (so a filter that matches nothing still lets the cursor move on).
   */
  readonly scannedTo: bigint;
  readonly full: boolean;
}

export type ReadLogPage = (after: bigint, filter: EventFilter | undefined, pageSize: number) => Promise<LogPage>;

/**
 * Catch-up subscription: pages through the log from the checkpoint, then waits for a wake-up (NOTIFY or poll tick)
 * and reads again. The cursor only ever moves to positions a read has proven complete, and the store makes positions
 * visible in commit order, so nothing is skipped or repeated.
 */
export class PostgresAllSubscription implements AllSubscription {
  private readonly abort = new AbortController();
  private iterator: AsyncGenerator<RecordedEvent> | null = null;
  private inFlight: Promise<unknown> | null = null;

  constructor(
    private readonly readPage: ReadLogPage,
    private readonly notifier: PostgresChangeNotifier,
    private readonly options: SubscribeToAllOptions,
    private readonly pollIntervalMs: number,
    private readonly pageSize: number,
    private readonly onEnd: (subscription: PostgresAllSubscription) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    this.iterator ??= this.run();
    return this.iterator;
  }

  async close(): Promise<void> {
    this.abort.abort();
    this.onEnd(this);
    // Let an in-flight read finish so that the pool is not ended under it; its outcome no longer matters to anyone.
    await this.inFlight?.catch(() => undefined);
  }

  private get closed(): boolean {
    return this.abort.signal.aborted;
  }

  private async *run(): AsyncGenerator<RecordedEvent> {
    let cursor = this.options.after ?? 0n;
    try {
      while (!this.closed) {
        const generation = this.notifier.generation;
        const read = this.readPage(cursor, this.options.filter, this.pageSize);
        this.inFlight = read;
        const page = await read.finally(() => {
          this.inFlight = null;
        });
        for (const event of page.events) {
          if (this.closed) return;
          cursor = event.position;
          yield event;
        }
        if (this.closed) return;
        if (page.scannedTo > cursor) cursor = page.scannedTo;
        if (page.full) continue;
        await this.notifier.wait(generation, this.pollIntervalMs, this.abort.signal);
      }
    } finally {
      this.abort.abort();
      this.onEnd(this);
    }
  }
}
