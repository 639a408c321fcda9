import type { CommitReport } from '../event-store.port';

/**
 * Group commit, shared by the SQLite and PostgreSQL adapters. Appends that arrive while a batch commits wait here and
 * go out together as the next batch: one transaction (one fsync) for up to `maxBatch` of them. One batch is in flight
 * at a time; the next one forms meanwhile and is handed over the moment the current one's outcome is reported.
 *
 * `commit` resolves with one outcome per item (its result, or its own error) once the transaction has COMMITTED, or
 * throws when the transaction as a whole failed; then every item of the batch is rejected with what it threw. No
 * caller is settled before `commit` settles, so nothing is acknowledged before COMMIT returns.
 */
export type BatchCommit<T, R> = (batch: readonly T[]) => Promise<ReadonlyArray<R | Error>>;

export interface GroupCommitOptions<T, R> {
  readonly commit: BatchCommit<T, R>;
  /** Most items in one batch. */
  readonly maxBatch: number;
  /** Events an item carries (for the stats). */
  readonly eventCount: (item: T) => number;
  /**
   * Runs once after each batch that committed at least one item, with those items' results and the batch's report
   * (its time runs from the call to `commit` until it resolved), after their callers were resolved (their continuations run later,
   * as microtasks: a caller resumes after this has run).
   */
  readonly onCommitted?: (committed: readonly R[], report: CommitReport) => void;
  /**
   * Why nothing can commit any more (the SQLite writer thread died), else undefined. Checked on enqueue and after a
   * failed batch: once set, everything queued and every later item fails with it at once.
   */
  readonly failure?: () => Error | undefined;
}

export interface GroupCommitStats {
  /** Batches handed to the store, one transaction each. */
  readonly batches: number;
  /** Batches whose transaction committed. */
  readonly commits: number;
  /** Batches whose transaction failed as a whole (every caller in them was rejected). */
  readonly failedCommits: number;
  /** Appends acknowledged after their batch's COMMIT. */
  readonly committedAppends: number;
  /** Events in those appends. */
  readonly committedEvents: number;
  /** Appends a committed batch refused on their own (wrong expected revision, reused event id, ...). */
  readonly rejectedAppends: number;
  /** Most appends in one batch so far: how well appends are grouped. */
  readonly largestBatch: number;
  /** Appends waiting for the next batch right now. */
  readonly queued: number;
}

interface Pending<T, R> {
  readonly item: T;
  /** Items enqueued together (enqueueAll) share a group and are never split across batches. */
  readonly group: number;
  readonly resolve: (value: R) => void;
  /** The item alone was refused (its outcome was an Error). */
  readonly refuse: (error: Error) => void;
  /** The batch failed as a whole. */
  readonly reject: (error: unknown) => void;
}

export class GroupCommitQueue<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private inFlight = false;
  private idleWaiters: Array<() => void> = [];
  private groups = 0;
  private readonly counters = {
    batches: 0,
    commits: 0,
    failedCommits: 0,
    committedAppends: 0,
    committedEvents: 0,
    rejectedAppends: 0,
    largestBatch: 0,
  };

  constructor(private readonly options: GroupCommitOptions<T, R>) {
    const { maxBatch } = options;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  }

  enqueue(item: T): Promise<R> {
    const failure = this.options.failure?.();
    if (failure !== undefined) return Promise.reject(failure);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, group: ++this.groups, resolve, refuse: reject, reject });
      this.schedule();
    });
  }

  /**
   * Enqueues `items` as one group: they go out in the same batch (one transaction), alone if they are more than
   * maxBatch. Resolves with one outcome per item, in order, once that batch committed: its result, or the Error it
   * alone was refused with. Rejects when the batch failed as a whole.
   */
  enqueueAll(items: readonly T[]): Promise<Array<R | Error>> {
    const failure = this.options.failure?.();
    if (failure !== undefined) return Promise.reject(failure);
    const group = ++this.groups;
    const outcomes = items.map(
      (item) => new Promise<R | Error>((resolve, reject) => this.queue.push({ item, group, resolve, refuse: resolve, reject })),
    );
    this.schedule();
    return Promise.all(outcomes);
  }

  private schedule(): void {
    // Waiting one turn of the event loop lets appends of the same tick (and of the same I/O phase) share the first
    // batch; while a batch is in flight the next one forms anyway.
    if (!this.inFlight) this.scheduled ??= setImmediate(() => this.sendBatch());
  }

  /** How many queued items the next batch takes: up to maxBatch, never splitting a group (a big group goes alone). */
  private nextBatchLength(): number {
    const q = this.queue;
    let end = 0;
    while (end < q.length) {
      let groupEnd = end + 1;
      while (groupEnd < q.length && (q[groupEnd] as Pending<T, R>).group === (q[end] as Pending<T, R>).group) groupEnd++;
      if (end > 0 && groupEnd > this.options.maxBatch) break;
      end = groupEnd;
      if (end >= this.options.maxBatch) break;
    }
    return end;
  }

  /** Resolves once every item accepted so far has been settled (close uses it, so none is dropped). */
  drain(): Promise<void> {
    if (this.scheduled !== undefined) this.sendBatch();
    if (!this.inFlight && this.queue.length === 0) return Promise.resolve();
    return new Promise<void>((done) => this.idleWaiters.push(done));
  }

  stats(): GroupCommitStats {
    return { ...this.counters, queued: this.queue.length };
  }

  private sendBatch(): void {
    if (this.inFlight) return;
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue.splice(0, this.nextBatchLength());
    if (batch.length === 0) {
      for (const done of this.idleWaiters.splice(0)) done();
      return;
    }
    this.inFlight = true;
    this.counters.batches++;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    let committing: Promise<ReadonlyArray<R | Error>>;
    const started = performance.now();
    try {
      committing = this.options.commit(batch.map((p) => p.item));
    } catch (error) {
      committing = Promise.reject(error);
    }
    void committing
      .then(
        (outcomes) => this.settle(batch, outcomes, (performance.now() - started) / 1000),
        (error: unknown) => this.fail(batch, error),
      )
      .finally(() => {
        this.inFlight = false;
        this.sendBatch(); // the next batch formed while this one was in flight: send it at once
      });
  }

  private settle(batch: readonly Pending<T, R>[], outcomes: ReadonlyArray<R | Error>, seconds: number): void {
    this.counters.commits++;
    const committed: R[] = [];
    let events = 0;
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error || outcome === undefined) {
        this.counters.rejectedAppends++;
        pending.refuse(outcome instanceof Error ? outcome : new Error('Group commit returned no outcome for an item'));
        return;
      }
      committed.push(outcome);
      this.counters.committedAppends++;
      events += this.options.eventCount(pending.item);
      pending.resolve(outcome);
    });
    this.counters.committedEvents += events;
    if (committed.length > 0) this.options.onCommitted?.(committed, { appends: committed.length, events, seconds });
  }

  private fail(batch: readonly Pending<T, R>[], error: unknown): void {
    this.counters.failedCommits++;
    for (const pending of batch) pending.reject(error);
    // Nothing more can commit: what is queued fails now rather than waiting for a batch that cannot run.
    const failure = this.options.failure?.();
    if (failure !== undefined) for (const pending of this.queue.splice(0)) pending.reject(failure);
  }
}
