import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { Supervisor, type SupervisedStatus, type VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { ReadModelConfigError, SharedLag } from '@verdict/read-models';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, LOGGER, READ_MODEL_DATA_SOURCE, VERDICT_CONFIG } from '../infrastructure/tokens';
import { logSupervision, type SupervisedSource } from '../health/supervised-source';
import { ProjectionWorkerClient } from './projection-worker-client';
import type { ProjectionStatus, ProjectionStatusSource } from './projection-status';

/** Least time between two checkpoint reports from the projection thread (bounds the main thread's share). */
export const CHECKPOINT_REPORT_INTERVAL_MS = 10;
/**
 * Least time between read-model transactions under load. Off the main thread latency matters less than CPU: on a
 * 2-CPU box 100 ms (vs the runner's 25 ms default) gave a few % more decisions/s (bench noise is about as large);
 * an event after a quiet spell still applies at once.
 */
export const MIN_BATCH_INTERVAL_MS = 100;

/** Component name of the inline projection thread in liveness and metrics. */
export const PROJECTIONS_COMPONENT = 'projections';

/**
 * The embedded default runs the projections in the engine process (VERDICT_PROJECTIONS=inline), on their own worker
 * thread (projection.worker.ts) so the main event loop only serves HTTP; in production apps/projector runs them and
 * this stays idle (VERDICT_PROJECTIONS=off). The main thread never writes the read model: its DataSource only reads.
 */
@Injectable()
export class InlineProjections implements OnApplicationBootstrap, ProjectionStatusSource, SupervisedSource {
  private supervisor?: Supervisor<ProjectionWorkerClient>;
  /** The latest life, dead or alive: its checkpoint is where the read model stands while the next one starts. */
  private client?: ProjectionWorkerClient;
  private stopRelay?: () => void;
  /** Counted on the projection thread; while the next life starts, the dead one answers (it rejects: unknown then). */
  private readonly lag = new SharedLag(() => {
    const client = this.supervisor?.current ?? this.client;
    return client ? client.lag() : Promise.reject(new Error('projections are not running in this process'));
  });

  constructor(
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    // Injected for ordering only: the main DataSource exists (and has migrated the schema) before the thread opens its own.
    @Inject(READ_MODEL_DATA_SOURCE) _migrated: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.projections.inline) return;
    const { eventStore, readModels } = this.config;
    for (const [name, selection] of [['event store', eventStore], ['read models', readModels]] as const) {
      if (selection.kind === 'sqlite' && selection.url === ':memory:') {
        throw new ReadModelConfigError(`inline projections open the ${name} on their own thread: an in-memory SQLite database is not shared`);
      }
    }
    const data = { eventStore, readModels, batchSize: this.config.projections.batchSize, minBatchIntervalMs: MIN_BATCH_INTERVAL_MS, reportIntervalMs: CHECKPOINT_REPORT_INTERVAL_MS, driftWindowSeconds: this.config.drift.windowSeconds, backgroundNice: this.config.threads.backgroundNice };
    // A failed projection (a read-model error, a dead thread) is restarted: the new thread resumes from the checkpoint
    // committed with the rows, so every event reaches the read model exactly once.
    const supervisor: Supervisor<ProjectionWorkerClient> = new Supervisor(PROJECTIONS_COMPONENT, {
      launch: async () => (this.client = await ProjectionWorkerClient.start(data, this.log, undefined, (c, e) => supervisor.crashed(c, e))),
      close: (client) => client.stop(),
      retire: (dead) => dead.stop(),
      report: (event, status, error) => logSupervision(this.log, event, status, error),
    });
    this.supervisor = supervisor;
    await supervisor.start();
    // The thread reads through its own store instance, which learns of this instance's commits only by polling
    // unless told. A commit after a quiet spell is relayed at once; under load at most one a batch interval, since
    // the thread applies no more often than that and its store polls meanwhile (a message and a read per commit cost
    // both threads more than the read models gain).
    let lastHint = -Infinity;
    this.stopRelay = this.store.onAppended(() => {
      const now = performance.now();
      if (now - lastHint < MIN_BATCH_INTERVAL_MS) return;
      lastHint = now;
      supervisor.current?.hint();
    });
  }

  async stop(): Promise<void> {
    this.stopRelay?.();
    this.stopRelay = undefined;
    await this.supervisor?.stop();
  }

  supervised(): readonly SupervisedStatus[] {
    return this.supervisor ? [this.supervisor.status()] : [];
  }

  /** Resolves once the read model has applied everything up to `position` (read-your-writes for tests and tools). */
  waitForPosition(position: bigint, timeoutMs: number): Promise<void> {
    if (!this.client) return Promise.reject(new Error('projections are not running in this process'));
    // While the next life starts, the dead one answers: it is caught up that far, or it fails the wait.
    return (this.supervisor?.current ?? this.client).waitForPosition(position, timeoutMs);
  }

  projectionLag(): Promise<number> {
    return this.client ? this.lag.get() : Promise.resolve(0);
  }

  projectionStatus(): ProjectionStatus {
    if (!this.client || !this.supervisor) return { mode: 'off', checkpoint: 0n };
    const { lastError } = this.supervisor.status();
    return { mode: 'inline', checkpoint: this.client.checkpoint, ...(lastError ? { lastError } : {}) };
  }
}
