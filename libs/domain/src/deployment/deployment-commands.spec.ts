import type { PolicySnapshot } from '../decision-made.event';
import type { ModelVersionRef } from '../models/model-name';
import { decideDeployment, type DeployableVersion, type DeploymentCommand, type DeploymentContext } from './deployment-commands';
import type { DeploymentEvent } from './deployment-events';
import { DeploymentRuleError } from './deployment-errors';
import { deploymentStateAt, evolveDeployment, foldDeployment, INITIAL_DEPLOYMENT_STATE, type DeploymentState } from './deployment-state';

const policy = (version: string, review = 0.2, decline = 0.8): PolicySnapshot => ({ version, reviewThreshold: review, declineThreshold: decline });
const version = (name: string, v: string, extra: Partial<DeployableVersion> = {}): DeployableVersion => ({
  model: { name, version: v, sha256: `${v}`.padEnd(64, 'a'), servedSha256: `${v}`.padEnd(64, 'b') },
  retired: false,
  decides: true,
  recommendedPolicy: policy(`${name}-${v}`),
  ...extra,
});
const registry = new Map<string, DeployableVersion>([
  ['fraud@1', version('fraud', '1')],
  ['fraud@2', version('fraud', '2')],
  ['fraud@3', version('fraud', '3', { recommendedPolicy: null })],
  ['raw@1', version('raw', '1', { decides: false })],
  ['old@1', version('old', '1', { retired: true })],
]);

let clock = Date.parse('2026-03-03T14:00:00Z');
let ids = 0;
const ctx = (actor = 'alice'): DeploymentContext => ({
  actor,
  now: new Date((clock += 60_000)).toISOString(),
  lookup: (ref: ModelVersionRef) => registry.get(`${ref.name}@${ref.version}`),
  newDeploymentId: () => `dep-${++ids}`,
});

/** Given events so far, when a command, then the new event (and the state after it). */
function given(...commands: DeploymentCommand[]): { state: DeploymentState; events: DeploymentEvent[] } {
  let state = INITIAL_DEPLOYMENT_STATE;
  const events: DeploymentEvent[] = [];
  for (const c of commands) {
    const e = decideDeployment(state, c, ctx());
    events.push(e);
    state = evolveDeployment(state, e);
  }
  return { state, events };
}
const champion = (v: string, p?: PolicySnapshot): DeploymentCommand => ({ kind: 'set-champion', model: { name: 'fraud', version: v }, policy: p, reason: `ship ${v}` });
const canary = (v: string, trafficPercent = 10): DeploymentCommand => ({ kind: 'deploy-challenger', model: { name: 'fraud', version: v }, mode: 'canary', trafficPercent, reason: 'try it' });
const refused = (state: DeploymentState, c: DeploymentCommand): string => {
  try {
    decideDeployment(state, c, ctx());
  } catch (e) {
    if (e instanceof DeploymentRuleError) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('deployment decider', () => {
  it('blue-green: a new champion keeps the previous one (and its policy) as the standby, and records what it replaced', () => {
    const { state, events } = given(champion('1'), champion('2'));
    expect(state).toMatchObject({ revision: 2, champion: { version: '2' }, policy: policy('fraud-2'), standby: { model: { version: '1' }, policy: policy('fraud-1') } });
    expect(events[1]).toMatchObject({ type: 'ChampionChanged', data: { actor: 'alice', reason: 'ship 2', revision: 2, previous: { champion: { version: '1' }, policy: policy('fraud-1'), standby: null } } });
  });

  it('rolls the champion back to the standby instantly, and back again', () => {
    const { state } = given(champion('1'), champion('2'), { kind: 'rollback-champion', reason: 'bad' });
    expect(state).toMatchObject({ champion: { version: '1' }, standby: { model: { version: '2' } } });
    expect(refused(given(champion('1')).state, { kind: 'rollback-champion', reason: 'x' })).toBe('no-standby');
  });

  it('refuses to make the champion champion again under the same policy, which would lose the standby', () => {
    const { state } = given(champion('1'), champion('2'));
    expect(refused(state, champion('2'))).toBe('no-change');
    expect(state.standby).toMatchObject({ model: { version: '1' } });
    // Under another policy it is a change, and the standby is the same model under the policy it had.
    const repoliced = given(champion('1'), champion('2'), champion('2', policy('fraud-2b', 0.2, 0.7))).state;
    expect(repoliced).toMatchObject({ champion: { version: '2' }, policy: policy('fraud-2b', 0.2, 0.7), standby: { model: { version: '2' }, policy: policy('fraud-2') } });
  });

  it("canary: deploy, step traffic, promote; the challenger's policy becomes the champion's", () => {
    const { state, events } = given(champion('1'), canary('2', 10), { kind: 'set-traffic', trafficPercent: 50, reason: 'more' }, { kind: 'promote', reason: 'good' });
    expect(events[1]).toMatchObject({ type: 'ChallengerDeployed', data: { challenger: { deploymentId: 'dep-1', mode: 'canary', trafficPercent: 10, routingKey: 'cardId' } } });
    expect(events[2]).toMatchObject({ type: 'CanaryTrafficChanged', data: { trafficPercent: 50, previous: { trafficPercent: 10 }, automatic: false } });
    expect(state).toMatchObject({ champion: { version: '2' }, policy: policy('fraud-2'), standby: { model: { version: '1' } }, challenger: null });
  });

  it('a challenger rolled back leaves the champion untouched', () => {
    const { state, events } = given(champion('1'), canary('2'), { kind: 'rollback-challenger', reason: 'no', automatic: true });
    expect(state).toMatchObject({ champion: { version: '1' }, challenger: null, revision: 3 });
    expect(events[2]).toMatchObject({ type: 'ChallengerRolledBack', data: { automatic: true, previous: { challenger: { model: { version: '2' } } } } });
  });

  it('binds a policy version to its thresholds forever', () => {
    const { state } = given(champion('1', policy('p-1', 0.1, 0.5)));
    expect(refused(state, { kind: 'set-policy', target: 'champion', policy: policy('p-1', 0.1, 0.6), reason: 'x' })).toBe('policy-version-conflict');
    const changed = given(champion('1', policy('p-1', 0.1, 0.5)), { kind: 'set-policy', target: 'champion', policy: policy('p-2', 0.1, 0.6), reason: 'tighter' });
    expect(changed.state.policy).toEqual(policy('p-2', 0.1, 0.6));
    expect(changed.events[1]).toMatchObject({ type: 'PolicyChanged', data: { target: 'champion', previous: { policy: policy('p-1', 0.1, 0.5) } } });
  });

  it('refuses what cannot work, with a code for each case', () => {
    const one = given(champion('1')).state;
    expect(refused(INITIAL_DEPLOYMENT_STATE, canary('2'))).toBe('no-champion');
    expect(refused(one, { kind: 'set-champion', model: { name: 'fraud', version: '9' }, reason: 'x' })).toBe('model-version-not-found');
    expect(refused(one, { kind: 'set-champion', model: { name: 'old', version: '1' }, reason: 'x' })).toBe('model-version-retired');
    expect(refused(one, { kind: 'set-champion', model: { name: 'raw', version: '1' }, reason: 'x' })).toBe('model-not-deployable');
    expect(refused(INITIAL_DEPLOYMENT_STATE, { kind: 'set-champion', model: { name: 'fraud', version: '3' }, reason: 'x' })).toBe('no-policy');
    expect(refused(one, { kind: 'promote', reason: 'x' })).toBe('no-challenger');
    expect(refused(one, { kind: 'set-traffic', trafficPercent: 5, reason: 'x' })).toBe('no-challenger');
    expect(refused(given(champion('1'), canary('2')).state, canary('3'))).toBe('challenger-exists');
    expect(refused(given(champion('1'), canary('2')).state, { kind: 'set-traffic', trafficPercent: 100.001, reason: 'x' })).toBe('invalid-traffic');
    expect(refused(one, { kind: 'deploy-challenger', model: { name: 'fraud', version: '2' }, mode: 'canary', reason: 'x' })).toBe('invalid-traffic');
    // An analysed canary at 100% would leave the champion arm nothing to be judged against.
    const analysis = { intervalSeconds: 60, threshold: 2, stepPercent: 100, maxPercent: 100, autoPromote: true, metrics: { minDecisions: 20 } };
    expect(refused(one, { kind: 'deploy-challenger', model: { name: 'fraud', version: '2' }, mode: 'canary', analysis, reason: 'x' })).toBe('invalid-traffic');
    expect(refused(one, { kind: 'deploy-challenger', model: { name: 'fraud', version: '2' }, mode: 'canary', trafficPercent: 100, analysis: { ...analysis, stepPercent: 10 }, reason: 'x' })).toBe('invalid-traffic');
    expect(decideDeployment(one, { kind: 'deploy-challenger', model: { name: 'fraud', version: '2' }, mode: 'shadow', analysis, reason: 'x' }, ctx()).type).toBe('ChallengerDeployed');
    expect(refused(one, { kind: 'deploy-challenger', model: { name: 'fraud', version: '2' }, mode: 'canary', trafficPercent: 0, analysis: { ...analysis, stepPercent: 10 }, reason: 'x' })).toBe('invalid-traffic');
    // Nor may an operator take it there once it runs; between, the traffic is theirs to set.
    const analysed = given(champion('1'), { kind: 'deploy-challenger', model: { name: 'fraud', version: '2' }, mode: 'canary', analysis: { ...analysis, stepPercent: 10 }, reason: 'x' }).state;
    expect(refused(analysed, { kind: 'set-traffic', trafficPercent: 100, reason: 'x' })).toBe('invalid-traffic');
    expect(refused(analysed, { kind: 'set-traffic', trafficPercent: 0, reason: 'x' })).toBe('invalid-traffic');
    expect(decideDeployment(analysed, { kind: 'set-traffic', trafficPercent: 50, reason: 'x' }, ctx()).type).toBe('CanaryTrafficChanged');
    expect(decideDeployment(given(champion('1'), canary('2')).state, { kind: 'set-traffic', trafficPercent: 100, reason: 'x' }, ctx()).type).toBe('CanaryTrafficChanged');
    // An analysed shadow at 0% would judge nothing either.
    expect(refused(one, { kind: 'deploy-challenger', model: { name: 'fraud', version: '2' }, mode: 'shadow', trafficPercent: 0, analysis, reason: 'x' })).toBe('invalid-traffic');
    // Two decimals, as floating point writes them: 1.1 is 110.00000000000001 hundredths.
    for (const p of [0.07, 1.1, 0.29, 66.67]) expect(decideDeployment(analysed, { kind: 'set-traffic', trafficPercent: p, reason: 'x' }, ctx()).type).toBe('CanaryTrafficChanged');
    expect(refused(analysed, { kind: 'set-traffic', trafficPercent: 66.666, reason: 'x' })).toBe('invalid-traffic');
  });

  it("a shadow sees all traffic unless told otherwise; a policy-less version inherits the champion's policy", () => {
    const { state } = given(champion('1'), { kind: 'deploy-challenger', model: { name: 'fraud', version: '3' }, mode: 'shadow', reason: 'watch' });
    expect(state.challenger).toMatchObject({ mode: 'shadow', trafficPercent: 100, policy: policy('fraud-1') });
  });

  it('answers "what was live at T" from the events alone', () => {
    const { events } = given(champion('1'), champion('2'), canary('1', 25));
    const at = (i: number) => events[i].data.at;
    expect(deploymentStateAt(events, at(0))).toMatchObject({ revision: 1, champion: { version: '1' }, challenger: null });
    expect(deploymentStateAt(events, new Date(Date.parse(at(1)) + 1).toISOString())).toMatchObject({ revision: 2, champion: { version: '2' } });
    expect(deploymentStateAt(events, '2000-01-01T00:00:00Z')).toEqual(INITIAL_DEPLOYMENT_STATE);
    expect(foldDeployment(events)).toMatchObject({ revision: 3, challenger: { trafficPercent: 25 } });
  });
});
