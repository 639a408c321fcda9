import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { workerScript, type WorkerScript } from '@verdict/config';
import { LAG_TIMEOUT_MS, ProjectionFailedError, ProjectionStoppedError, ProjectionWaitTimeoutError } from '@verdict/read-models';
import {
  fromWireError,
  type FromProjectionWorker,
  type ProjectionWorkerData,
  type ToProjectionWorker,
} from './projection-worker.protocol';

/** The projection worker next to this file: `.js` from dist/, `.ts` from source (see workerScript). */
const defaultProjectionWorkerScript = (): WorkerScript => workerScript(join(__dirname, `projection.worker${extname(__filename)}`));

/** How long stop() lets the thread finish its batch and close its stores before terminating it. */
const STOP_GRACE_MS = 10_000;

interface Waiter {
  readonly position: bigint;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Main-thread handle on the projection thread: mirrors its checkpoint from the reports it sends, resolves
 * waitForPosition from them, and turns a projection error or a dead thread into `failure` (logged, rejected to every
 * waiter, never swallowed). The thread is unref'd: it never keeps the process alive on its own.
 */
export class ProjectionWorkerClient {
  private projection = 'projection';
  private checkpointValue = 0n;
  private failed: Error | undefined;
  private dead = false;
  private closing = false;
  private stopping: Promise<void> | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly lagAsks = new Map<number, { resolve: (lag: number) => void; reject: (error: Error) => void }>();
  private nextLagId = 0;
  private readonly exited: Promise<number>;
  private onStopped: ((m: Extract<FromProjectionWorker, { type: 'stopped' }>) => void) | undefined;
  private startup: { resolve: () => void; reject: (e: Error) => void } | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly log: Logger,
    private readonly onFailure: ((client: ProjectionWorkerClient, error: Error) => void) | undefined,
  ) {
    this.exited = new Promise<number>((done) => worker.once('exit', done));
    worker.on('message', (m: FromProjectionWorker) => this.onMessage(m));
    worker.on('error', (e) => this.die(new Error(`projection thread crashed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => {
      if (!this.closing) this.die(new Error(`projection thread exited unexpectedly (code ${code})`));
    });
  }

  /**
   * Starts the thread and resolves once its projection is subscribed from the stored checkpoint. `onFailure` is told
   * once if the projection later fails or the thread dies (its supervisor starts the next life: inline-projections.ts).
   */
  static async start(
    data: ProjectionWorkerData,
    log: Logger,
    script = defaultProjectionWorkerScript(),
    onFailure?: (client: ProjectionWorkerClient, error: Error) => void,
  ): Promise<ProjectionWorkerClient> {
    const client = new ProjectionWorkerClient(new Worker(script.file, { name: 'projections', workerData: data, execArgv: script.execArgv }), log, onFailure);
    try {
      await new Promise<void>((resolveStart, rejectStart) => (client.startup = { resolve: resolveStart, reject: rejectStart }));
    } catch (e) {
      client.closing = true;
      await client.worker.terminate();
      throw e;
    }
    client.worker.unref();
    return client;
  }

  get checkpoint(): bigint {
    return this.checkpointValue;
  }

  /** Why the projection stopped (its own error, or the thread's death); undefined while healthy. */
  get failure(): Error | undefined {
    return this.failed;
  }

  /** Tells the thread the log grew, so it reads now rather than at its next poll. Cheap; ignored once stopping. */
  hint(): void {
    if (!this.closing && this.failed === undefined) this.send({ type: 'appended' });
  }

  /**
   * Resolves once the reported checkpoint is at or past `position`.
   * @throws ProjectionWaitTimeoutError, ProjectionFailedError (failure before or meanwhile), ProjectionStoppedError.
   */
  waitForPosition(position: bigint, timeoutMs: number): Promise<void> {
    if (this.checkpointValue >= position) return Promise.resolve();
    if (this.failed) return Promise.reject(new ProjectionFailedError(this.projection, this.failed));
    if (this.closing) return Promise.reject(new ProjectionStoppedError(this.projection));
    return new Promise<void>((resolveWait, rejectWait) => {
      const waiter: Waiter = {
        position,
        resolve: resolveWait,
        reject: rejectWait,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          rejectWait(new ProjectionWaitTimeoutError(this.projection, position, this.checkpointValue, timeoutMs));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Events of the projection's types after its checkpoint, counted on the projection thread (up to
   * PROJECTION_LAG_LIMIT). A failed projection's thread still answers; a dead or stopping one rejects.
   */
  lag(): Promise<number> {
    if (this.dead || this.closing) return Promise.reject(new Error('the projection thread is not running'));
    const id = this.nextLagId++;
    const answer = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.lagAsks.delete(id);
        reject(new Error(`the projection thread did not count its lag within ${LAG_TIMEOUT_MS} ms`));
      }, LAG_TIMEOUT_MS);
      const settled = (): void => {
        clearTimeout(timer);
        this.lagAsks.delete(id);
      };
      this.lagAsks.set(id, {
        resolve: (lag) => (settled(), resolve(lag)),
        reject: (error) => (settled(), reject(error)),
      });
    });
    this.send({ type: 'lag', id });
    return answer;
  }

  /** Lets the batch in flight commit, closes the thread's stores, then ends the thread. Never hangs. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.worker.ref(); // a process awaiting stop() must not exit before the read model is closed
    let grace: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        new Promise<Extract<FromProjectionWorker, { type: 'stopped' }>>((done) => {
          this.onStopped = done;
          this.send({ type: 'stop' }); // a no-op if the thread is gone: `exited` settles the race then
        }),
        this.exited.then((code) => ({ exited: code })),
        new Promise<'timeout'>((done) => (grace = setTimeout(() => done('timeout'), STOP_GRACE_MS))),
      ]);
      if (outcome === 'timeout') this.log.error({ graceMs: STOP_GRACE_MS }, 'projection thread did not stop in time; terminating it');
      if (typeof outcome === 'object' && 'type' in outcome) {
        this.checkpointValue = outcome.checkpoint;
        if (outcome.failures.length > 0) {
          const errors = outcome.failures.map((f) => new Error(`closing ${f.step} failed: ${f.error.message}`, { cause: fromWireError(f.error) }));
          throw new AggregateError(errors, `projection thread could not close ${outcome.failures.map((f) => f.step).join(', ')}`);
        }
      }
    } finally {
      clearTimeout(grace);
      await this.worker.terminate();
      this.rejectWaiters(new ProjectionStoppedError(this.projection));
    }
  }

  private send(message: ToProjectionWorker): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromProjectionWorker): void {
    switch (message.type) {
      case 'started':
        this.projection = message.projection;
        this.advance(message.checkpoint);
        this.startup?.resolve();
        this.startup = undefined;
        return;
      case 'start_failed':
        this.startup?.reject(new Error(`projection thread could not start: ${message.error.message}`, { cause: fromWireError(message.error) }));
        this.startup = undefined;
        return;
      case 'checkpoint':
        this.advance(message.checkpoint);
        return;
      case 'failed':
        this.advance(message.checkpoint);
        // The runner already logged it (forwarded as a 'log' message); here it reaches readiness and the waiters.
        this.fail(fromWireError(message.error));
        return;
      case 'lag':
      case 'lag_failed': {
        const ask = this.lagAsks.get(message.id); // gone if it timed out
        if (message.type === 'lag') ask?.resolve(message.lag);
        else ask?.reject(fromWireError(message.error));
        return;
      }
      case 'log':
        if (message.level === 'error') this.log.error(message.obj, message.msg);
        else this.log.info(message.obj, message.msg);
        return;
      case 'stopped':
        this.onStopped?.(message);
        return;
    }
  }

  private advance(checkpoint: bigint): void {
    if (checkpoint <= this.checkpointValue) return;
    this.checkpointValue = checkpoint;
    for (const waiter of this.waiters) {
      if (waiter.position <= checkpoint) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private die(error: Error): void {
    if (this.dead) return; // 'error' is followed by 'exit': one death, one log line
    this.dead = true;
    if (this.startup) {
      this.startup.reject(error);
      this.startup = undefined;
      return;
    }
    this.log.error({ err: error, checkpoint: String(this.checkpointValue) }, 'projection thread failed');
    this.fail(error);
  }

  private fail(error: Error): void {
    const first = this.failed === undefined;
    this.failed ??= error;
    this.rejectWaiters(new ProjectionFailedError(this.projection, this.failed));
    if (first && !this.closing) this.onFailure?.(this, this.failed);
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
    // A failed projection's thread still counts; only a thread that is gone leaves its counts unanswered.
    if (this.dead || this.closing) for (const ask of [...this.lagAsks.values()]) ask.reject(error);
  }
}
