import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScript, type WorkerScript } from '@verdict/config';
import type { ValidatedAppend } from '../append-validation';
import { AppendOutcomeUnknownError, EventStoreUnavailableError } from '../event-store.errors';
import {
  failureToError,
  type AppendOutcome,
  type FromWriter,
  type SqliteFailure,
  type ToWriter,
  type WriterOptions,
} from './sqlite-write-protocol';

export type BatchReply =
  | { readonly ok: true; readonly outcomes: readonly AppendOutcome[] }
  | { readonly ok: false; readonly failure: SqliteFailure };

/** The writer worker next to this file: `.js` from dist/, `.ts` from source (see workerScript). */
const defaultWriterScript = (): WorkerScript => workerScript(join(__dirname, `sqlite-writer.worker${extname(__filename)}`));

/**
 * Main-thread handle on one life of the writer worker: sends batches, hands back the worker's verdict per batch, and
 * turns a dead worker into an error for every batch still waiting (never a hang, never an acknowledgement): a batch
 * the worker had been sent may have committed before it died, so it fails with AppendOutcomeUnknownError; later
 * commits fail with EventStoreUnavailableError. `onDeath` is told once the dead thread has exited (its supervisor
 * starts the next life: sqlite-supervised-writer.ts).
 * The worker is unref'd while idle, so an idle store does not keep the process alive; it is ref'd while a batch is
 * in flight, so a process awaiting an append does not exit before the commit is acknowledged.
 */
export class SqliteWriterClient {
  private readonly pending = new Map<number, { resolve: (reply: BatchReply) => void; reject: (e: unknown) => void }>();
  private nextBatchId = 1;
  private dead: EventStoreUnavailableError | undefined;
  private closing = false;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    onDeath: ((client: SqliteWriterClient, error: EventStoreUnavailableError) => void) | undefined,
  ) {
    this.exited = new Promise<void>((done) => worker.once('exit', () => done()));
    worker.on('message', (message: FromWriter) => this.onMessage(message));
    worker.on('error', (e) => this.die(new EventStoreUnavailableError(`SQLite writer thread failed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => {
      if (!this.closing || this.pending.size > 0) {
        this.die(new EventStoreUnavailableError(`SQLite writer thread exited unexpectedly (code ${code})`));
      }
      // Told only once the thread is gone, so a next life never writes beside a dying one.
      if (this.dead !== undefined) onDeath?.(this, this.dead);
    });
  }

  /** Starts the worker and waits until it has opened its connection. */
  static start(
    options: WriterOptions,
    script: WorkerScript = defaultWriterScript(),
    onDeath?: (client: SqliteWriterClient, error: EventStoreUnavailableError) => void,
  ): Promise<SqliteWriterClient> {
    return new Promise<SqliteWriterClient>((resolveStart, rejectStart) => {
      const unavailable = (cause: unknown): EventStoreUnavailableError =>
        new EventStoreUnavailableError(`Cannot start the SQLite writer for ${options.path}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
      let worker: Worker;
      try {
        worker = new Worker(script.file, { name: 'log-writer', workerData: options, execArgv: script.execArgv });
      } catch (e) {
        return rejectStart(unavailable(e));
      }
      const fail = (cause: unknown): void => {
        cleanup();
        void worker.terminate();
        rejectStart(unavailable(cause));
      };
      const onMessage = (message: FromWriter): void => {
        if (message.type === 'ready') {
          cleanup();
          worker.unref();
          resolveStart(new SqliteWriterClient(worker, onDeath));
        } else if (message.type === 'open_failed') {
          fail(failureToError(message.failure));
        }
      };
      const onExit = (code: number): void => fail(new Error(`writer thread exited during start (code ${code})`));
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', fail);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', fail);
      worker.on('exit', onExit);
    });
  }

  /** Why the worker is gone, if it died; every later commit fails with it. */
  get failure(): EventStoreUnavailableError | undefined {
    return this.dead;
  }

  /** Runs one batch in one transaction; resolves once the worker reports COMMIT (or the batch's failure). */
  commit(appends: readonly ValidatedAppend[]): Promise<BatchReply> {
    if (this.dead !== undefined) return Promise.reject(this.dead);
    if (this.closing) return Promise.reject(new EventStoreUnavailableError('The SQLite writer is closing'));
    const batchId = this.nextBatchId++;
    return new Promise<BatchReply>((resolveBatch, rejectBatch) => {
      this.pending.set(batchId, { resolve: resolveBatch, reject: rejectBatch });
      if (this.pending.size === 1) this.worker.ref();
      this.send({ type: 'batch', batchId, appends });
    });
  }

  /** Closes the write connection and waits for the thread to end. Call once no batch is in flight. */
  async close(): Promise<void> {
    if (this.closing) return this.exited;
    this.closing = true;
    // A death reported earlier already failed its callers; only a failure of the close itself is thrown here.
    const diedBefore = this.dead;
    if (diedBefore === undefined) {
      this.worker.ref();
      this.send({ type: 'close' });
    }
    await this.exited;
    if (this.dead !== diedBefore) throw this.dead;
  }

  /**
   * Fault-injection seam for tests: ends the thread the way a crash would (batches in flight get
   * AppendOutcomeUnknownError, `onDeath` is told). Resolves once the thread has exited.
   */
  async terminate(): Promise<void> {
    this.die(new EventStoreUnavailableError('SQLite writer thread was terminated'));
    await this.exited;
  }

  private send(message: ToWriter): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromWriter): void {
    if (message.type !== 'committed' && message.type !== 'batch_failed') return;
    const waiter = this.pending.get(message.batchId);
    if (waiter === undefined) return;
    this.pending.delete(message.batchId);
    if (this.pending.size === 0 && !this.closing) this.worker.unref();
    waiter.resolve(
      message.type === 'committed' ? { ok: true, outcomes: message.outcomes } : { ok: false, failure: message.failure },
    );
  }

  private die(error: EventStoreUnavailableError): void {
    this.dead ??= error;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (waiting.length > 0) {
      // Each of these batches reached the thread: it may have committed before the thread died.
      const unknown = new AppendOutcomeUnknownError(
        `The SQLite writer thread died with the batch in flight; it may or may not have been recorded (${this.dead.message})`,
        { cause: this.dead },
      );
      for (const w of waiting) w.reject(unknown);
    }
    void this.worker.terminate();
  }
}
