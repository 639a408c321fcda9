import type { DeploymentState, PolicySnapshot, RoutingKey } from '@verdict/domain';
import type { LoadedModel } from './loaded-model';

export interface Arm {
  readonly model: LoadedModel;
  readonly policy: PolicySnapshot;
}

export interface ChallengerArm extends Arm {
  readonly deploymentId: string;
  readonly mode: 'canary' | 'shadow';
  readonly trafficPercent: number;
  readonly routingKey: RoutingKey;
}

/**
 * What decides at one deployment revision, with its sessions loaded: an immutable snapshot. A request takes a lease
 * on the table it starts with and scores on those sessions to the end, whatever changes meanwhile.
 */
export class RoutingTable {
  private retired = false;
  /** Every session the table holds (a model in two roles appears twice: it was acquired once per role). */
  private readonly models: readonly LoadedModel[];

  constructor(
    readonly revision: number,
    readonly state: DeploymentState,
    readonly champion: Arm,
    readonly challenger: ChallengerArm | null,
    /** Kept loaded (not routed to) so a rollback to it is instant. */
    readonly standby: LoadedModel | null,
  ) {
    this.models = [champion.model, ...(challenger ? [challenger.model] : []), ...(standby ? [standby] : [])];
  }

  /**
   * A request's lease: every session of the table stays open until `release()`. Called twice per decision, so it
   * allocates nothing.
   */
  acquire(): void {
    for (const m of this.models) m.retain();
  }

  release(): void {
    for (const m of this.models) m.release();
  }

  /** The table is replaced: drop its own references (sessions close once leases in flight are released too). */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.release();
  }
}
