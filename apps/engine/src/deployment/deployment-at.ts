import { Inject, Injectable } from '@nestjs/common';
import { deploymentStateAt, DEPLOYMENT_STREAM, type DeploymentEvent } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { EVENT_STORE } from '../infrastructure/tokens';
import { eventsBehind, toDeploymentView, toEventView, type DeploymentEventView, type DeploymentView } from './deployment-view';

/** The deployment as it stood at an instant, and the events that made it so. */
export type DeploymentAtView = { readonly at: string } & DeploymentView & { readonly events: DeploymentEventView[] };

/**
 * Point in time, folded from the deployment stream itself (the auditor's source of truth, not the read model):
 * `GET /v1/deployment?at=` and a decision's context both answer from here.
 */
@Injectable()
export class DeploymentAt {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async at(instant: Date): Promise<DeploymentAtView> {
    const events = (await this.store.readStream(DEPLOYMENT_STREAM)).map((e) => ({ type: e.type, data: e.data }) as unknown as DeploymentEvent);
    const at = instant.toISOString();
    const state = deploymentStateAt(events, at);
    return { at, ...toDeploymentView(state), events: eventsBehind(events, state).map(toEventView) };
  }
}
