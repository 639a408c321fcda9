import { Inject, Injectable } from '@nestjs/common';
import { deploymentStateAt, deploymentStateAtRevision, DEPLOYMENT_STREAM, type DeploymentEvent, type DeploymentState } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { EVENT_STORE } from '../infrastructure/tokens';
import { eventsBehind, toDeploymentView, toEventView, type DeploymentEventView, type DeploymentView } from './deployment-view';

/** The deployment as it stood at an instant, and the events that made it so. */
export type DeploymentAtView = { readonly at: string } & DeploymentView & { readonly events: DeploymentEventView[] };

/**
 * Point in time, folded from the deployment stream itself (the auditor's source of truth, not the read model):
 * `GET /v1/deployment?at=` and a decision's context (by the revision the decision records) both answer from here.
 */
@Injectable()
export class DeploymentAt {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async at(instant: Date): Promise<DeploymentAtView> {
    const events = await this.events();
    const at = instant.toISOString();
    return view(at, events, deploymentStateAt(events, at));
  }

  /**
   * The deployment a decision was made under: the state its recorded revision made, shown at its decidedAt. By time
   * alone, a change whose `at` precedes a decision the previous revision was still making would be named instead.
   */
  async ofDecision(decision: { readonly decidedAt: string; readonly deployment: { readonly revision: number } }): Promise<DeploymentAtView> {
    // Revision 0: a decision from before deployments were recorded (DecisionMade v1); only its time can tell.
    if (decision.deployment.revision === 0) return this.at(new Date(decision.decidedAt));
    const events = await this.events();
    return view(new Date(decision.decidedAt).toISOString(), events, deploymentStateAtRevision(events, decision.deployment.revision));
  }

  private async events(): Promise<DeploymentEvent[]> {
    return (await this.store.readStream(DEPLOYMENT_STREAM)).map((e) => ({ type: e.type, data: e.data }) as unknown as DeploymentEvent);
  }
}

function view(at: string, events: readonly DeploymentEvent[], state: DeploymentState): DeploymentAtView {
  return { at, ...toDeploymentView(state), events: eventsBehind(events, state).map(toEventView) };
}
