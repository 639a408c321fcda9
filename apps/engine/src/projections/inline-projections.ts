import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { DecisionHistoryProjection, ProjectionRunner } from '@verdict/read-models';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, LOGGER, READ_MODEL_DATA_SOURCE, VERDICT_CONFIG } from '../infrastructure/tokens';
import type { ProjectionStatus, ProjectionStatusSource } from './projection-status';

/**
 * The embedded default runs the projections in the engine process (VERDICT_PROJECTIONS=inline); in production
 * apps/projector runs them and this stays idle (VERDICT_PROJECTIONS=off).
 */
@Injectable()
export class InlineProjections implements OnApplicationBootstrap, ProjectionStatusSource {
  private runner?: ProjectionRunner;

  constructor(
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.projections.inline) return;
    this.runner = new ProjectionRunner({
      eventStore: this.store,
      dataSource: this.dataSource,
      projection: new DecisionHistoryProjection(),
      batchSize: this.config.projections.batchSize,
      logger: this.log,
    });
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
  }

  /** Resolves once the read model has applied everything up to `position` (read-your-writes for tests and tools). */
  waitForPosition(position: bigint, timeoutMs: number): Promise<void> {
    if (!this.runner) return Promise.reject(new Error('projections are not running in this process'));
    return this.runner.waitForPosition(position, timeoutMs);
  }

  projectionStatus(): ProjectionStatus {
    if (!this.runner) return { mode: 'off', checkpoint: 0n };
    const s = this.runner.status();
    return { mode: 'inline', checkpoint: s.checkpoint, lastError: s.lastError?.message };
  }
}
