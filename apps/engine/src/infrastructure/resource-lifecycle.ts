import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ArtifactStore } from '@verdict/artifact-store';
import type { EventStore } from '@verdict/event-store';
import type { DataSource } from 'typeorm';
import { CanaryAnalyst } from '../deployment/canary-analyst';
import { DeploymentFollower } from '../deployment/deployment-follower';
import { DeploymentRuntime } from '../deployment/deployment-runtime';
import { RawSessions } from '../inference/raw-sessions';
import { DriftMonitor } from '../monitoring/drift-monitor';
import { PersonalData } from '../privacy/personal-data';
import { InlineProjections } from '../projections/inline-projections';
import { HistoryFeed } from '../history/history-feed';
import { ReplayService } from '../replay/replay-service';
import { ARTIFACT_STORE, EVENT_STORE, LOGGER, READ_MODEL_DATA_SOURCE } from './tokens';

/**
 * Closes what the engine opened, in dependency order: the deployment follower (it reads the store), projections
 * (they read the store and write the read model), then the event store (which commits the appends still queued), then
 * the read model, the model sessions (after their runs in flight) and the artifact store.
 */
@Injectable()
export class ResourceLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly projections: InlineProjections,
    private readonly history: HistoryFeed,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly readModels: DataSource,
    private readonly analyst: CanaryAnalyst,
    private readonly follower: DeploymentFollower,
    private readonly deployment: DeploymentRuntime,
    private readonly rawSessions: RawSessions,
    private readonly replays: ReplayService,
    private readonly drift: DriftMonitor,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    private readonly personal: PersonalData,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      ['replays', () => this.replays.stop()],
      ['drift monitor', () => this.drift.stop()],
      ['canary analysis', () => this.analyst.stop()],
      ['deployment follower', () => this.follower.stop()],
      ['projections', () => this.projections.stop()],
      ['history thread', () => this.history.stop()],
      ['event store', () => this.store.close()],
      ['subject key store', () => this.personal.close()],
      ['read models', () => (this.readModels.isInitialized ? this.readModels.destroy() : Promise.resolve())],
      ['model sessions', () => this.deployment.close()],
      ['raw inference sessions', () => this.rawSessions.closeAll()],
      ['artifact store', () => this.artifacts.close()],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.log.error({ err: error }, `closing ${name} failed`);
      }
    }
  }
}
