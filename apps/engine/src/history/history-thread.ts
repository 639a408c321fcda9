import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScript, type WorkerScript } from '@verdict/config';
import type { FromHistoryThread, HistoryAsk, HistoryThreadData, ToHistoryThread } from './history-thread.protocol';
import { HistoryUnavailableError } from './history-unavailable.error';

const defaultHistoryScript = (): WorkerScript => workerScript(join(__dirname, `history.worker${extname(__filename)}`));

/** How long stop() lets the thread close its subscription and store before terminating it. */
const STOP_GRACE_MS = 5_000;

/** History features for a scoring: every ask's values, all from the log applied through `asOf`. */
export interface HistoryValues {
  readonly asOf: bigint;
  readonly values: readonly (readonly number[])[];
}

/**
 * Main-thread handle on the history thread: asks it for history features (one message per scoring, however many
 * requests), mirrors how far it has applied the log, and turns its failure or death into `failure` (every pending and
 * later ask rejects with it: a decision that needs history is never scored without it).
 */
export class HistoryThread {
  private readonly pending = new Map<number, { resolve: (v: HistoryValues) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private throughValue = 0n;
  private cardsValue = 0;
  private headAtStart = 0n;
  private failed: Error | undefined;
  private interruptedBy: string | undefined;
  private closing = false;
  private startup: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private stopped: (() => void) | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly onFailure: ((thread: HistoryThread, error: Error) => void) | undefined,
  ) {
    this.exited = new Promise<void>((done) => worker.once('exit', () => done()));
    worker.on('message', (m: FromHistoryThread) => this.onMessage(m));
    worker.on('error', (e) => this.fail(new HistoryUnavailableError(`history thread crashed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new HistoryUnavailableError(`history thread exited unexpectedly (code ${code})`));
    });
  }

  /**
   * Starts the thread; resolves once it is subscribed (it then catches up on its own: see `caughtUp`). `onFailure` is
   * told once if it later fails or dies (its supervisor starts the next life: history-feed.ts).
   */
  static async start(
    data: HistoryThreadData,
    script = defaultHistoryScript(),
    onFailure?: (thread: HistoryThread, error: Error) => void,
  ): Promise<HistoryThread> {
    const thread = new HistoryThread(new Worker(script.file, { name: 'history', workerData: data, execArgv: script.execArgv }), onFailure);
    try {
      await new Promise<void>((resolve, reject) => (thread.startup = { resolve, reject }));
    } catch (e) {
      thread.closing = true;
      await thread.worker.terminate();
      throw e;
    }
    thread.worker.unref();
    return thread;
  }

  /** The log position through which the state has applied decisions (as last reported). */
  get through(): bigint {
    return this.throughValue;
  }

  /** Cards the state holds (as last reported). */
  get cards(): number {
    return this.cardsValue;
  }

  /** True once the state has applied the log as it stood when the thread started. */
  get caughtUp(): boolean {
    return this.failed === undefined && this.throughValue >= this.headAtStart;
  }

  get headAtStartPosition(): bigint {
    return this.headAtStart;
  }

  get failure(): Error | undefined {
    return this.failed;
  }

  /** Why the thread cannot read the log right now (the store is unreachable; it keeps trying), if it cannot. */
  get interruption(): string | undefined {
    return this.interruptedBy;
  }

  /**
   * Every ask's values, once the state has applied the log through `through` (see ToHistoryThread): never lower than
   * the previous call's.
   */
  values(asks: readonly HistoryAsk[], through = -1n): Promise<HistoryValues> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closing) return Promise.reject(new HistoryUnavailableError('the history thread is stopping'));
    const id = this.nextId++;
    const answer = new Promise<HistoryValues>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // Ref'd while an answer is awaited, so a process waiting only on it does not exit under it.
    if (this.pending.size === 1) this.worker.ref();
    this.send({ type: 'values', id, through, asks });
    return answer;
  }

  /** Fault-injection seam for tests: ends the thread as a crash would (pending asks fail, `onFailure` is told). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  async stop(): Promise<void> {
    if (this.closing) return this.exited;
    this.closing = true;
    this.worker.ref(); // a process that only waits for this stop must not exit under it
    this.rejectPending(new HistoryUnavailableError('the history thread stopped'));
    const stopped = new Promise<void>((resolve) => (this.stopped = resolve));
    this.send({ type: 'stop' });
    await Promise.race([stopped, this.exited, new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
    await this.worker.terminate();
  }

  private onMessage(m: FromHistoryThread): void {
    switch (m.type) {
      case 'started':
        this.headAtStart = m.head;
        this.startup?.resolve();
        this.startup = undefined;
        return;
      case 'applied':
        this.throughValue = m.through;
        this.cardsValue = m.cards;
        return;
      case 'values':
      case 'values-failed': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) this.worker.unref();
        if (m.type === 'values') {
          // The answer is at least as recent as any report: keep the mirror monotonic with it.
          if (m.asOf > this.throughValue) this.throughValue = m.asOf;
          p.resolve({ asOf: m.asOf, values: m.values });
        } else p.reject(new Error(`history features: ${m.message}`));
        return;
      }
      case 'interrupted':
        this.interruptedBy = m.message;
        return;
      case 'resumed':
        this.interruptedBy = undefined;
        return;
      case 'failed':
        this.fail(new HistoryUnavailableError(`history thread failed: ${m.message}`));
        return;
      case 'stopped':
        this.stopped?.();
        return;
    }
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    this.rejectPending(error);
    if (this.startup) this.startup.reject(error);
    else if (!this.closing) this.onFailure?.(this, error);
  }

  private rejectPending(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private send(m: ToHistoryThread): void {
    this.worker.postMessage(m);
  }
}
