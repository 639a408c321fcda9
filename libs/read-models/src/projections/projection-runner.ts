import type { AllSubscription, EventStore } from '@verdict/event-store/event-store.port';
import type { DataSource } from 'typeorm';
import { runExclusive } from '../exclusive-access';
import { ProjectionFailedError, ProjectionStoppedError, ProjectionWaitTimeoutError } from '../read-model.errors';
import { applyProjectionBatch } from './apply-projection-batch';
import { readCheckpoint } from './checkpoint-store';
import { EventBatcher } from './event-batcher';
import { projectionFilter, type Projection } from './projection';

/** The subset of a pino logger the runner uses. */
export interface ProjectionLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ProjectionRunnerOptions {
  readonly dataSource: DataSource;
  readonly eventStore: EventStore;
  readonly projection: Projection;
  /** Most events applied per transaction. Default 500. */
  readonly batchSize?: number;
  /**
   * Least time between two transactions while events keep arriving (they gather into the next batch meanwhile).
   * Bounds the transactions per second under load, which is what the read model costs the event loop; an event
   * arriving after a quiet spell is applied at once. Default 25 ms (a 10-event SQLite transaction costs ~4x per event
   * what a 500-event one does); 0 applies whatever is available immediately.
   */
  readonly minBatchIntervalMs?: number;
  readonly logger?: ProjectionLogger;
  /** Called once when the runner stops on an error (after status() shows it). */
  readonly onError?: (error: Error) => void;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  /** Position of the last applied event. Advances only with events the projection subscribes to. */
  readonly checkpoint: bigint;
  readonly running: boolean;
  readonly lastError?: Error;
  readonly lastAppliedAt?: Date;
  /** Since this runner was created: events applied, and the transactions (batches) that applied them. */
  readonly eventsApplied: number;
  readonly batchesApplied: number;
}

interface Waiter {
  readonly position: bigint;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const silentLogger: ProjectionLogger = { info: () => undefined, error: () => undefined };

/**
 * Keeps one projection up to date: subscribes to the global log after its saved checkpoint and applies batches,
 * each in one transaction together with its checkpoint (see applyProjectionBatch). Any error stops it; the error
 * stays in status() and is logged and reported to onError, never swallowed. start() again resumes from the
 * stored checkpoint.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly minBatchIntervalMs: number;
  private readonly logger: ProjectionLogger;
  private checkpoint = 0n;
  private running = false;
  private stopping = false;
  private lastError: Error | undefined;
  private lastAppliedAt: Date | undefined;
  private eventsApplied = 0;
  private batchesApplied = 0;
  private subscription: AllSubscription | undefined;
  private loop: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private waiters = new Set<Waiter>();

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    this.minBatchIntervalMs = options.minBatchIntervalMs ?? 25;
    if (!(this.minBatchIntervalMs >= 0)) throw new RangeError('minBatchIntervalMs must be >= 0');
    this.logger = options.logger ?? silentLogger;
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Resolves once subscribed from the stored checkpoint. Rejects (and stays stopped) if that cannot be read. */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    // Concurrent calls share one start: never two subscriptions writing the same checkpoint.
    this.starting ??= this.subscribe().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async subscribe(): Promise<void> {
    const { dataSource, eventStore, projection } = this.options;
    this.lastError = undefined;
    this.stopping = false;
    this.checkpoint = await runExclusive(dataSource, () => readCheckpoint(dataSource.manager, projection.name));
    this.subscription = eventStore.subscribeToAll({ after: this.checkpoint, filter: projectionFilter(projection) });
    this.running = true;
    this.logger.info({ projection: this.name, version: projection.version, checkpoint: String(this.checkpoint) }, 'projection started');
    this.loop = this.run(this.subscription);
  }

  /** Lets the batch in flight commit, then ends the subscription. Pending waitForPosition calls reject. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    await this.subscription?.close();
    await this.loop;
    this.loop = undefined;
    this.rejectWaiters(new ProjectionStoppedError(this.name));
  }

  status(): ProjectionStatus {
    return {
      name: this.name,
      version: this.options.projection.version,
      checkpoint: this.checkpoint,
      running: this.running,
      eventsApplied: this.eventsApplied,
      batchesApplied: this.batchesApplied,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.lastAppliedAt ? { lastAppliedAt: this.lastAppliedAt } : {}),
    };
  }

  /**
   * Resolves when the checkpoint is at or past `position` (read-your-writes after an append).
   * @throws ProjectionWaitTimeoutError after timeoutMs; ProjectionFailedError if the runner fails meanwhile (or
   *   already has); ProjectionStoppedError if it is stopped meanwhile.
   */
  waitForPosition(position: bigint, timeoutMs = 5000): Promise<void> {
    if (this.checkpoint >= position) return Promise.resolve();
    if (this.lastError) return Promise.reject(new ProjectionFailedError(this.name, this.lastError));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        position,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new ProjectionWaitTimeoutError(this.name, position, this.checkpoint, timeoutMs));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private async run(subscription: AllSubscription): Promise<void> {
    const { dataSource, projection } = this.options;
    try {
      const batcher = new EventBatcher(subscription[Symbol.asyncIterator](), {
        maxSize: this.batchSize,
        minIntervalMs: this.minBatchIntervalMs,
      });
      for (let batch = await batcher.next(); batch && !this.stopping; batch = await batcher.next()) {
        const result = await applyProjectionBatch(dataSource, projection, batch, this.checkpoint);
        this.eventsApplied += batch.length;
        this.batchesApplied++;
        if (result.checkpoint !== this.checkpoint) {
          this.checkpoint = result.checkpoint;
          this.lastAppliedAt = new Date();
          this.resolveWaiters();
        }
      }
    } catch (error) {
      await this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.running = false;
    if (!this.stopping) {
      await this.fail(new Error('the event store ended the subscription'));
      return;
    }
    this.logger.info({ projection: this.name, checkpoint: String(this.checkpoint) }, 'projection stopped');
  }

  private async fail(error: Error): Promise<void> {
    this.running = false;
    this.lastError = error;
    this.logger.error({ projection: this.name, checkpoint: String(this.checkpoint), err: error }, 'projection failed');
    try {
      await this.subscription?.close();
    } catch (closeError) {
      this.logger.error({ projection: this.name, err: closeError }, 'closing the subscription after a failure failed');
    }
    this.rejectWaiters(new ProjectionFailedError(this.name, error));
    this.options.onError?.(error);
  }

  private resolveWaiters(): void {
    for (const waiter of this.waiters) {
      if (waiter.position <= this.checkpoint) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
  }
}
