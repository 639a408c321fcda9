import type { PolicySnapshot } from '../decision-made.event';
import {
  CANARY_TRAFFIC_CHANGED,
  CHALLENGER_DEPLOYED,
  CHALLENGER_PROMOTED,
  CHALLENGER_ROLLED_BACK,
  CHAMPION_CHANGED,
  CHAMPION_ROLLED_BACK,
  POLICY_CHANGED,
  type Challenger,
  type DeployedModel,
  type DeploymentEvent,
  type Standby,
} from './deployment-events';

/** What decides, as of `revision` (the number of deployment events applied; 0 = nothing deployed yet). */
export interface DeploymentState {
  readonly revision: number;
  readonly champion: DeployedModel | null;
  /** The champion's policy: what decides for every request the challenger does not. */
  readonly policy: PolicySnapshot | null;
  /** The previous champion, kept loaded for an instant rollback. */
  readonly standby: Standby | null;
  readonly challenger: Challenger | null;
  /** When the state last changed (the last event's `at`). */
  readonly since: string | null;
  /** Every policy version ever used, bound to its thresholds: a version never changes meaning. */
  readonly policies: Readonly<Record<string, { readonly reviewThreshold: number; readonly declineThreshold: number }>>;
}

export const INITIAL_DEPLOYMENT_STATE: DeploymentState = Object.freeze({
  revision: 0,
  champion: null,
  policy: null,
  standby: null,
  challenger: null,
  since: null,
  policies: Object.freeze({}),
});

function bind(policies: DeploymentState['policies'], ...used: (PolicySnapshot | null | undefined)[]): DeploymentState['policies'] {
  const out = { ...policies };
  for (const p of used) if (p) out[p.version] = { reviewThreshold: p.reviewThreshold, declineThreshold: p.declineThreshold };
  return out;
}

/** Applies one event. Pure; the fold of the stream is the state (what every engine instance and GET ?at= compute). */
export function evolveDeployment(state: DeploymentState, event: DeploymentEvent): DeploymentState {
  const base = { revision: state.revision + 1, since: event.data.at };
  switch (event.type) {
    case CHAMPION_CHANGED: {
      const e = event.data;
      const standby = state.champion && state.policy ? { model: state.champion, policy: state.policy } : state.standby;
      return { ...state, ...base, champion: e.champion, policy: e.policy, standby, policies: bind(state.policies, e.policy) };
    }
    case CHALLENGER_DEPLOYED:
      return { ...state, ...base, challenger: event.data.challenger, policies: bind(state.policies, event.data.challenger.policy) };
    case CANARY_TRAFFIC_CHANGED:
      return state.challenger ? { ...state, ...base, challenger: { ...state.challenger, trafficPercent: event.data.trafficPercent } } : { ...state, ...base };
    case CHALLENGER_PROMOTED: {
      const e = event.data;
      const standby = state.champion && state.policy ? { model: state.champion, policy: state.policy } : state.standby;
      return { ...state, ...base, champion: e.champion, policy: e.policy, standby, challenger: null, policies: bind(state.policies, e.policy) };
    }
    case CHALLENGER_ROLLED_BACK:
      return { ...state, ...base, challenger: null };
    case CHAMPION_ROLLED_BACK: {
      const e = event.data;
      return { ...state, ...base, champion: e.champion, policy: e.policy, standby: { model: e.previous.champion, policy: e.previous.policy } };
    }
    case POLICY_CHANGED: {
      const e = event.data;
      const policies = bind(state.policies, e.policy);
      if (e.target === 'champion') return { ...state, ...base, policy: e.policy, policies };
      return state.challenger ? { ...state, ...base, challenger: { ...state.challenger, policy: e.policy }, policies } : { ...state, ...base, policies };
    }
  }
}

/** The state after every event, in order (one fold of the stream). */
export function foldDeployment(events: readonly DeploymentEvent[], from: DeploymentState = INITIAL_DEPLOYMENT_STATE): DeploymentState {
  return events.reduce(evolveDeployment, from);
}

/** The state in force at instant `at` (ISO): the fold of every event whose `at` is not later. */
export function deploymentStateAt(events: readonly DeploymentEvent[], at: string): DeploymentState {
  const t = Date.parse(at);
  return foldDeployment(events.filter((e) => Date.parse(e.data.at) <= t));
}

/**
 * The state a revision made: the fold of the first `revision` events. What a decision recorded as its
 * `deployment.revision` decided it, whatever the `at` of the events around its decidedAt say.
 */
export function deploymentStateAtRevision(events: readonly DeploymentEvent[], revision: number): DeploymentState {
  return foldDeployment(events.filter((e) => e.data.revision <= revision));
}
