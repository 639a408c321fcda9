import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { ProjectionRunner, projectionLag, SharedLag, type Projection, type ProjectionStatus } from '@verdict/read-models';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { ObservedProjection } from './projector-metrics';
import { EVENT_STORE, LOGGER, PROJECTIONS, READ_MODEL_DATA_SOURCE, VERDICT_CONFIG } from './projector.tokens';

export interface ProjectionFailure {
  readonly projection: string;
  readonly error: Error;
}

/**
 * Runs every projection against the configured stores and owns their lifecycle: start on bootstrap; on shutdown
 * let in-flight batches commit, then close the event store and the read-model database. A failed runner does not
 * retry in a loop: `failure` resolves and main() ends the process non-zero, so the orchestrator restarts it from
 * the stored checkpoint (with the error in the logs).
 */
@Injectable()
export class ProjectionSupervisor implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly failure: Promise<ProjectionFailure>;
  private readonly runners: ProjectionRunner[];
  /** Each projection's runner status and lag, for health and metrics. */
  readonly observed: readonly ObservedProjection[];
  private reportFailure!: (failure: ProjectionFailure) => void;

  constructor(
    @Inject(VERDICT_CONFIG) config: VerdictConfig,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PROJECTIONS) projections: readonly Projection[],
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.failure = new Promise((resolve) => (this.reportFailure = resolve));
    this.runners = projections.map(
      (projection) =>
        new ProjectionRunner({
          dataSource,
          eventStore,
          projection,
          batchSize: config.projections.batchSize,
          logger,
          onError: (error) => this.reportFailure({ projection: projection.name, error }),
        }),
    );
    this.observed = projections.map((projection, i) => {
      const runner = this.runners[i] as ProjectionRunner;
      const lag = new SharedLag(() => projectionLag(eventStore, projection.canHandle, runner.status().checkpoint));
      return { status: () => runner.status(), lag: () => lag.get() };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const runner of this.runners) await runner.start();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['projections', () => Promise.all(this.runners.map((r) => r.stop()))],
      ['event store', () => this.eventStore.close()],
      ['read models', () => (this.dataSource.isInitialized ? this.dataSource.destroy() : Promise.resolve())],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.logger.error({ err: error }, `closing ${name} failed`);
      }
    }
    this.logger.info({ signal, projections: this.status().map(printable) }, 'projector stopped');
  }

  status(): ProjectionStatus[] {
    return this.runners.map((r) => r.status());
  }

  /** Resolves when every projection has applied the log up to `position`. */
  async waitForPosition(position: bigint, timeoutMs: number): Promise<void> {
    await Promise.all(this.runners.map((r) => r.waitForPosition(position, timeoutMs)));
  }
}

/** Status for a JSON log line (bigint is not JSON). */
export const printable = (s: ProjectionStatus) => ({
  name: s.name,
  version: s.version,
  checkpoint: s.checkpoint.toString(),
  running: s.running,
  lastError: s.lastError?.message,
  lastAppliedAt: s.lastAppliedAt?.toISOString(),
});
