import type { DeploymentEvent, DeploymentState } from '@verdict/domain';

/** GET /v1/deployment: what decides (the champion's policy is `policy`; the challenger carries its own). */
export interface DeploymentView {
  readonly revision: number;
  readonly champion: DeploymentState['champion'];
  readonly standby: DeploymentState['standby'];
  readonly challenger: DeploymentState['challenger'];
  readonly policy: DeploymentState['policy'];
  readonly since: string | null;
}

export function toDeploymentView(state: DeploymentState): DeploymentView {
  return {
    revision: state.revision,
    champion: state.champion,
    standby: state.standby,
    challenger: state.challenger,
    policy: state.policy,
    since: state.since,
  };
}

/** A deployment event as the API lists it. */
export interface DeploymentEventView {
  readonly revision: number;
  readonly type: string;
  readonly at: string;
  readonly actor: string;
  readonly reason: string;
  readonly data: Record<string, unknown>;
}

export const toEventView = (event: DeploymentEvent): DeploymentEventView => ({
  revision: event.data.revision,
  type: event.type,
  at: event.data.at,
  actor: event.data.actor,
  reason: event.data.reason,
  data: event.data as unknown as Record<string, unknown>,
});

/**
 * The events that made a state what it is: for each part in force (champion and its policy, standby, challenger
 * and its traffic and policy), the last event that set it, oldest first.
 */
export function eventsBehind(events: readonly DeploymentEvent[], state: DeploymentState): DeploymentEvent[] {
  const upTo = events.filter((e) => e.data.revision <= state.revision);
  const lastOf = (match: (e: DeploymentEvent) => boolean): DeploymentEvent | undefined => upTo.filter(match).at(-1);
  const championSetters = new Set(['ChampionChanged', 'ChallengerPromoted', 'ChampionRolledBack']);
  const picked = [
    lastOf((e) => championSetters.has(e.type)),
    lastOf((e) => championSetters.has(e.type) || (e.type === 'PolicyChanged' && e.data.target === 'champion')),
    state.challenger ? lastOf((e) => e.type === 'ChallengerDeployed') : undefined,
    state.challenger ? lastOf((e) => e.type === 'CanaryTrafficChanged' || e.type === 'ChallengerDeployed') : undefined,
    state.challenger ? lastOf((e) => e.type === 'ChallengerDeployed' || (e.type === 'PolicyChanged' && e.data.target === 'challenger')) : undefined,
  ].filter((e): e is DeploymentEvent => e !== undefined);
  return [...new Set(picked)].sort((a, b) => a.data.revision - b.data.revision);
}
