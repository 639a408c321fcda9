import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScript } from '@verdict/config';
import type { PreparedBatch } from '../projections/apply-projection-batch';
import type { PreparedParts } from '../projections/read-model-projections';
import type { FromPreparedLogWorker, PreparedLogWorkerData, ToPreparedLogWorker } from './prepared-log.protocol';

/**
 * The log from its start, read and prepared for the read-model projections on a worker thread: the pages arrive in
 * position order as PreparedBatch, and the worker stays `pagesAhead` pages ahead. Parsing and preparing each event
 * costs about as much as writing it, so a rebuild that writes on the main thread while this thread prepares uses two
 * cores (docs/benchmarks.md). Prepared pages are rows of plain values: far cheaper to pass between threads than the
 * events they come from.
 */
export class PreparedLogReader {
  private readonly worker: Worker;
  private readonly queue: FromPreparedLogWorker[] = [];
  private waiting: ((message: FromPreparedLogWorker) => void) | null = null;
  private done = false;

  constructor(data: PreparedLogWorkerData) {
    const script = workerScript(join(__dirname, `prepared-log.worker${extname(__filename)}`));
    this.worker = new Worker(script.file, { name: 'log-reader', workerData: data, execArgv: script.execArgv });
    this.worker.on('message', (m: FromPreparedLogWorker) => this.deliver(m));
    this.worker.on('error', (e) => this.deliver({ type: 'error', message: `prepared-log thread failed: ${e.message}` }));
    this.worker.on('exit', (code) => this.deliver({ type: 'error', message: `prepared-log thread exited (code ${code}) before the end of the log` }));
  }

  /**
   * Up to `count` next pages (fewer only at the end of the log, none after it). Rejects with the worker's error (a
   * store or schema error).
   */
  async next(count: number): Promise<PreparedBatch<PreparedParts>[]> {
    const pages: PreparedBatch<PreparedParts>[] = [];
    while (pages.length < count && !this.done) {
      const message = this.queue.shift() ?? (await new Promise<FromPreparedLogWorker>((resolve) => (this.waiting = resolve)));
      if (message.type === 'end') {
        this.done = true;
      } else if (message.type === 'error') {
        this.done = true;
        throw new Error(message.message);
      } else {
        this.worker.postMessage({ type: 'next' } satisfies ToPreparedLogWorker);
        pages.push({ prepared: message.prepared, last: message.last, applied: message.applied });
      }
    }
    return pages;
  }

  async close(): Promise<void> {
    this.done = true;
    this.worker.postMessage({ type: 'close' } satisfies ToPreparedLogWorker);
    await this.worker.terminate();
  }

  private deliver(message: FromPreparedLogWorker): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting(message);
    else this.queue.push(message);
  }
}
