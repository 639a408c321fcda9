/**
 * Group commit: items arriving while a flush is in progress wait in a queue and are committed together by the next
 * flush, in one transaction, at most `maxBatch` at a time. One flush runs at a time per queue.
 *
 * `commit` returns one outcome per item (a value or that item's own error) once the transaction has COMMITTED, or
 * throws when the transaction as a whole failed; then every item of the batch is rejected with the error it threw.
 * No item is settled before `commit` settles, so nothing is acknowledged before COMMIT returns.
 */
export type BatchCommit<T, R> = (batch: readonly T[]) => Promise<ReadonlyArray<R | Error>>;

export interface GroupCommitStats {
  /** Batches handed to `commit`. */
  readonly flushes: number;
  /** Batches whose transaction committed. */
  readonly transactions: number;
  /** Batches whose transaction failed (every caller in them was rejected). */
  readonly failedFlushes: number;
  /** Items committed or rejected individually through a committed batch. */
  readonly items: number;
  readonly largestBatch: number;
  /** Items waiting for a flush right now. */
  readonly queued: number;
}

interface Pending<T, R> {
  readonly item: T;
  readonly resolve: (value: R) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommitQueue<T, R> {
  private readonly pending: Pending<T, R>[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private counters = { flushes: 0, transactions: 0, failedFlushes: 0, items: 0, largestBatch: 0 };
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly commit: BatchCommit<T, R>,
    private readonly maxBatch: number,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  }

  enqueue(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  stats(): GroupCommitStats {
    return { ...this.counters, queued: this.pending.length };
  }

  /** Resolves once nothing is queued or flushing (items enqueued meanwhile are waited for too). */
  drain(): Promise<void> {
    if (!this.flushing && !this.scheduled && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    // Start on a microtask rather than synchronously so that a synchronous burst of appends forms one batch.
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.startFlush();
    });
  }

  private startFlush(): void {
    if (this.flushing) return;
    if (this.pending.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    const batch = this.pending.splice(0, this.maxBatch);
    this.flushing = this.flush(batch).finally(() => {
      this.flushing = null;
      this.startFlush();
    });
  }

  private async flush(batch: Pending<T, R>[]): Promise<void> {
    this.counters.flushes += 1;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    let outcomes: ReadonlyArray<R | Error>;
    try {
      outcomes = await this.commit(batch.map((p) => p.item));
    } catch (error) {
      this.counters.failedFlushes += 1;
      for (const p of batch) p.reject(error);
      return;
    }
    this.counters.transactions += 1;
    this.counters.items += batch.length;
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) p.reject(outcome);
      else if (outcome === undefined) p.reject(new Error('Group commit returned no outcome for an item'));
      else p.resolve(outcome);
    });
  }
}
