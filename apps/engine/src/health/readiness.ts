import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@verdict/event-store';
import type { ModelRuntime } from '@verdict/model-runtime';
import { EVENT_STORE, MODEL_RUNTIME, PROJECTION_RUNNER } from '../infrastructure/tokens';
import type { ProjectionStatusSource } from '../projections/projection-status';

export interface ComponentStatus {
  readonly status: 'up' | 'down';
  readonly [detail: string]: unknown;
}

export interface ReadinessReport {
  readonly status: 'ok' | 'error';
  readonly checks: {
    readonly eventStore: ComponentStatus;
    readonly model: ComponentStatus;
    readonly projections: ComponentStatus;
  };
}

/**
 * Ready = the event store answers and the model is loaded. Projection lag is reported, not gating: a lagging read
 * model must not stop the engine from deciding (decisions don't depend on it).
 */
@Injectable()
export class Readiness {
  private shuttingDown = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MODEL_RUNTIME) private readonly model: ModelRuntime,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionStatusSource,
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
    const d = this.model.descriptor;
    const model: ComponentStatus = { status: 'up', name: d.name, version: d.version, sha256: d.sha256 };
    const p = this.projections.projectionStatus();
    const projections: ComponentStatus = p.mode === 'off'
      ? { status: 'up', mode: 'off' }
      : {
          status: p.lastError ? 'down' : 'up',
          mode: p.mode,
          checkpoint: Number(p.checkpoint),
          lag: head === undefined ? null : Number(head > p.checkpoint ? head - p.checkpoint : 0n),
          ...(p.lastError ? { error: p.lastError } : {}),
        };
    const ok = !this.shuttingDown && eventStore.status === 'up';
    return { status: ok ? 'ok' : 'error', checks: { eventStore, model, projections } };
  }
}
