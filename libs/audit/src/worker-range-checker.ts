import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScript } from '@verdict/config';
import type { SealHeader } from '@verdict/domain/audit';
import type { EventStoreSelection } from '@verdict/event-store';
import type { FromRangeCheckWorker, RangeCheckWorkerData, ToRangeCheckWorker } from './range-check.protocol';
import type { RangeChecker, RangeResult } from './range-checker';

interface Thread {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  busy: number;
}

/**
 * Checks seal ranges on `threads` worker threads, each reading the store through its own connection: hashing (canonical
 * JSON, sha256) is the cost of verification, and seals are independent, so they spread over cores. Pass
 * `concurrency` ≥ threads to verifyEventStore to keep them all busy.
 */
export class WorkerRangeChecker implements RangeChecker {
  private readonly threads: Thread[] = [];
  private readonly pending = new Map<number, { resolve: (r: RangeResult) => void; reject: (e: Error) => void; thread: Thread }>();
  private nextId = 0;

  /** `backgroundNice`: how much lower the threads run (the engine's VERDICT_BACKGROUND_NICE; 0 for a command-line check). */
  constructor(selection: EventStoreSelection, threads: number, backgroundNice = 0) {
    const script = workerScript(join(__dirname, `range-check.worker${extname(__filename)}`));
    const data: RangeCheckWorkerData = { store: selection, backgroundNice };
    for (let i = 0; i < Math.max(1, threads); i++) {
      const worker = new Worker(script.file, { name: 'seal-verifier', workerData: data, execArgv: script.execArgv });
      let ready!: () => void;
      let failed!: (e: Error) => void;
      const thread: Thread = { worker, busy: 0, ready: new Promise<void>((res, rej) => ((ready = res), (failed = rej))) };
      thread.ready.catch(() => undefined); // observed by check()
      worker.on('message', (m: FromRangeCheckWorker) => {
        if (m.type === 'ready') ready();
        else if (m.type === 'result') this.settle(m.id, m.result, null);
        else if (m.type === 'error') m.id === null ? failed(new Error(m.message)) : this.settle(m.id, null, new Error(m.message));
      });
      worker.on('error', (e) => {
        failed(e);
        for (const [id, p] of this.pending) if (p.thread === thread) this.settle(id, null, e);
      });
      this.threads.push(thread);
    }
  }

  async check(header: SealHeader, entries: string): Promise<RangeResult> {
    const thread = this.threads.reduce((a, b) => (b.busy < a.busy ? b : a));
    thread.busy++;
    await thread.ready;
    const id = this.nextId++;
    return new Promise<RangeResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, thread });
      thread.worker.postMessage({ type: 'check', id, header, entries } satisfies ToRangeCheckWorker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.threads.map(async (t) => {
        const closed = new Promise<void>((resolve) => {
          t.worker.on('message', (m: FromRangeCheckWorker) => m.type === 'closed' && resolve());
          t.worker.once('exit', () => resolve());
        });
        t.worker.postMessage({ type: 'close' } satisfies ToRangeCheckWorker);
        await closed;
        await t.worker.terminate();
      }),
    );
  }

  private settle(id: number, result: RangeResult | null, error: Error | null): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.thread.busy--;
    if (error) p.reject(error);
    else p.resolve(result!);
  }
}
