import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@verdict/event-store';
import { DeploymentFollower } from '../deployment/deployment-follower';
import { DeploymentRuntime } from '../deployment/deployment-runtime';
import { EVENT_STORE, PROJECTION_RUNNER } from '../infrastructure/tokens';
import { HistoryFeed } from '../history/history-feed';
import type { ProjectionStatusSource } from '../projections/projection-status';

export interface ComponentStatus {
  readonly status: 'up' | 'down';
  readonly [detail: string]: unknown;
}

export interface ReadinessReport {
  readonly status: 'ok' | 'error';
  readonly checks: {
    readonly eventStore: ComponentStatus;
    readonly deployment: ComponentStatus;
    readonly projections: ComponentStatus;
    readonly history: ComponentStatus;
  };
}

/**
 * Ready = the event store answers, the deployment is in force here (a champion loaded, and the latest change
 * applied), and the history state has applied the log as it stood at start. Projection lag is reported, not gating: a lagging read model must not stop the engine from deciding
 * (decisions don't depend on it).
 */
@Injectable()
export class Readiness {
  private shuttingDown = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runtime: DeploymentRuntime,
    private readonly follower: DeploymentFollower,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionStatusSource,
    private readonly history: HistoryFeed,
  ) {}

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async check(): Promise<ReadinessReport> {
    let eventStore: ComponentStatus;
    let head: bigint | undefined;
    try {
      await this.store.ping();
      head = await this.store.headPosition();
      eventStore = { status: 'up', kind: this.store.kind, headPosition: Number(head) };
    } catch (error) {
      eventStore = { status: 'down', kind: this.store.kind, error: (error as Error).message };
    }
    const table = this.runtime.current();
    const known = this.follower.latest().revision;
    const failure = this.follower.lastError;
    const deployment: ComponentStatus = table
      ? {
          status: failure && known > table.revision ? 'down' : 'up',
          revision: table.revision,
          latestRevision: known,
          champion: `${table.champion.model.registered.name}@${table.champion.model.registered.version}`,
          challenger: table.challenger ? `${table.challenger.model.registered.name}@${table.challenger.model.registered.version} (${table.challenger.mode} ${table.challenger.trafficPercent}%)` : null,
          ...(failure ? { error: failure.message } : {}),
        }
      : { status: 'down', revision: 0, latestRevision: known, error: failure?.message ?? 'no champion deployed yet' };
    const p = this.projections.projectionStatus();
    const projections: ComponentStatus = p.mode === 'off'
      ? { status: 'up', mode: 'off' }
      : {
          status: p.lastError ? 'down' : 'up',
          mode: p.mode,
          checkpoint: Number(p.checkpoint),
          lag: eventStore.status === 'up' ? await this.projections.projectionLag().catch(() => null) : null,
          ...(p.lastError ? { error: p.lastError } : {}),
        };
    const history = this.history.status();
    const ok = !this.shuttingDown && eventStore.status === 'up' && deployment.status === 'up' && history.status === 'up';
    return { status: ok ? 'ok' : 'error', checks: { eventStore, deployment, projections, history } };
  }
}
