import type { PolicySnapshot } from '../decision-made.event';
import type { ModelVersionRef } from '../models/model-name';
import type { AnalysisEvidence, CanaryAnalysisSpec } from './canary-analysis';
import {
  CANARY_TRAFFIC_CHANGED,
  CHALLENGER_DEPLOYED,
  CHALLENGER_PROMOTED,
  CHALLENGER_ROLLED_BACK,
  CHAMPION_CHANGED,
  CHAMPION_ROLLED_BACK,
  POLICY_CHANGED,
  type ChallengerMode,
  type DeployedModel,
  type DeploymentEvent,
  type RoutingKey,
} from './deployment-events';
import { DeploymentRuleError } from './deployment-errors';
import type { DeploymentState } from './deployment-state';
import { isTrafficPercent } from './traffic-percent';

/** Who asks and why; an automatic change (canary analysis) carries the evidence it acted on. */
interface Asked {
  readonly reason: string;
  readonly automatic?: boolean;
  readonly evidence?: AnalysisEvidence;
}

export type DeploymentCommand =
  | ({ readonly kind: 'set-champion'; readonly model: ModelVersionRef; readonly policy?: PolicySnapshot } & Asked)
  | ({
      readonly kind: 'deploy-challenger';
      readonly model: ModelVersionRef;
      readonly mode: ChallengerMode;
      readonly trafficPercent?: number;
      readonly routingKey?: RoutingKey;
      readonly policy?: PolicySnapshot;
      readonly analysis?: CanaryAnalysisSpec;
    } & Asked)
  | ({ readonly kind: 'set-traffic'; readonly trafficPercent: number } & Asked)
  | ({ readonly kind: 'promote' } & Asked)
  | ({ readonly kind: 'rollback-challenger' } & Asked)
  | ({ readonly kind: 'rollback-champion' } & Asked)
  | ({ readonly kind: 'set-policy'; readonly target: 'champion' | 'challenger'; readonly policy: PolicySnapshot } & Asked);

/** What the registry says about a model version, as far as deploying it goes. */
export interface DeployableVersion {
  readonly model: DeployedModel;
  readonly retired: boolean;
  /** false when its manifest has no features (raw inference only). */
  readonly decides: boolean;
  readonly recommendedPolicy: PolicySnapshot | null;
}

export interface DeploymentContext {
  readonly actor: string;
  readonly now: string;
  lookup(ref: ModelVersionRef): DeployableVersion | undefined;
  newDeploymentId(): string;
}


/**
 * Turns a command into the one event that records it, against the current state. Pure: the same state, command
 * and context always give the same event or the same DeploymentRuleError.
 */
export function decideDeployment(state: DeploymentState, command: DeploymentCommand, ctx: DeploymentContext): DeploymentEvent {
  const change = { actor: ctx.actor, reason: command.reason, at: ctx.now, revision: state.revision + 1, schemaVersion: 1 as const };
  const automatic = command.automatic ?? false;
  const evidence = command.evidence ?? null;
  switch (command.kind) {
    case 'set-champion': {
      const version = deployable(command.model, ctx);
      const policy = boundPolicy(state, command.policy ?? version.recommendedPolicy ?? state.policy, command.model);
      // The same champion again would become its own standby, and the real rollback target would be lost.
      if (state.champion?.name === version.model.name && state.champion.version === version.model.version && state.policy?.version === policy.version) {
        throw new DeploymentRuleError('no-change', `${version.model.name}@${version.model.version} is already the champion under policy "${policy.version}": nothing to change.`);
      }
      return {
        type: CHAMPION_CHANGED,
        data: { ...change, champion: version.model, policy, previous: { champion: state.champion, policy: state.policy, standby: state.standby } },
      };
    }
    case 'deploy-challenger': {
      if (state.champion === null) throw new DeploymentRuleError('no-champion', 'Deploy a champion before a challenger.');
      if (state.challenger !== null) {
        throw new DeploymentRuleError(
          'challenger-exists',
          `${state.challenger.model.name}@${state.challenger.model.version} is the ${state.challenger.mode} challenger; promote it or roll it back first.`,
        );
      }
      const version = deployable(command.model, ctx);
      const trafficPercent = command.trafficPercent ?? (command.mode === 'shadow' ? 100 : command.analysis?.stepPercent);
      if (trafficPercent === undefined) {
        throw new DeploymentRuleError('invalid-traffic', 'A canary needs trafficPercent (or an analysis, which starts at its stepPercent).');
      }
      checkPercent(trafficPercent);
      if (command.analysis) checkAnalysedTraffic(command.mode, trafficPercent);
      const policy = boundPolicy(state, command.policy ?? version.recommendedPolicy ?? state.policy, command.model);
      const challenger = {
        deploymentId: ctx.newDeploymentId(),
        model: version.model,
        mode: command.mode,
        trafficPercent,
        routingKey: command.routingKey ?? 'cardId',
        policy,
        analysis: command.analysis ?? null,
        since: ctx.now,
      };
      return { type: CHALLENGER_DEPLOYED, data: { ...change, challenger, previous: { challenger: null } } };
    }
    case 'set-traffic': {
      const challenger = requireChallenger(state);
      checkPercent(command.trafficPercent);
      if (challenger.analysis) checkAnalysedTraffic(challenger.mode, command.trafficPercent);
      return {
        type: CANARY_TRAFFIC_CHANGED,
        data: { ...change, deploymentId: challenger.deploymentId, trafficPercent: command.trafficPercent, automatic, evidence, previous: { trafficPercent: challenger.trafficPercent } },
      };
    }
    case 'promote': {
      const challenger = requireChallenger(state);
      return {
        type: CHALLENGER_PROMOTED,
        data: {
          ...change,
          deploymentId: challenger.deploymentId,
          champion: challenger.model,
          policy: challenger.policy,
          automatic,
          evidence,
          previous: { champion: state.champion, policy: state.policy, standby: state.standby, challenger },
        },
      };
    }
    case 'rollback-challenger': {
      const challenger = requireChallenger(state);
      return { type: CHALLENGER_ROLLED_BACK, data: { ...change, deploymentId: challenger.deploymentId, automatic, evidence, previous: { challenger } } };
    }
    case 'rollback-champion': {
      if (state.champion === null || state.policy === null) throw new DeploymentRuleError('no-champion', 'There is no champion to roll back.');
      if (state.standby === null) throw new DeploymentRuleError('no-standby', 'There is no standby to roll back to: the champion has never changed.');
      return {
        type: CHAMPION_ROLLED_BACK,
        data: {
          ...change,
          champion: state.standby.model,
          policy: state.standby.policy,
          previous: { champion: state.champion, policy: state.policy, standby: state.standby },
        },
      };
    }
    case 'set-policy': {
      const previous = command.target === 'champion' ? state.policy : state.challenger?.policy;
      if (command.target === 'champion' && state.champion === null) throw new DeploymentRuleError('no-champion', 'There is no champion to set a policy for.');
      if (previous === undefined || previous === null) throw new DeploymentRuleError('no-challenger', 'There is no challenger to set a policy for.');
      const policy = boundPolicy(state, command.policy, null);
      return { type: POLICY_CHANGED, data: { ...change, target: command.target, policy, previous: { policy: previous } } };
    }
  }
}

function deployable(ref: ModelVersionRef, ctx: DeploymentContext): DeployableVersion {
  const version = ctx.lookup(ref);
  if (version === undefined) throw new DeploymentRuleError('model-version-not-found', `Model ${ref.name} has no version "${ref.version}".`);
  if (version.retired) throw new DeploymentRuleError('model-version-retired', `${ref.name}@${ref.version} is retired and cannot be deployed.`);
  if (!version.decides) {
    throw new DeploymentRuleError(
      'model-not-deployable',
      `${ref.name}@${ref.version} has no features in its manifest: it serves raw inference only. Register a version with features to deploy it.`,
    );
  }
  return version;
}

function requireChallenger(state: DeploymentState): NonNullable<DeploymentState['challenger']> {
  if (state.challenger === null) throw new DeploymentRuleError('no-challenger', 'There is no challenger deployed.');
  return state.challenger;
}

/** Both arms of an analysis need decisions for any window to be judged: a shadow's share above 0, a canary's below 100 too. */
function checkAnalysedTraffic(mode: ChallengerMode, p: number): void {
  if (p <= 0) {
    throw new DeploymentRuleError('invalid-traffic', `An analysed ${mode}'s traffic must be above 0%, got ${p}: the challenger arm needs decisions to be judged. Roll it back instead.`);
  }
  if (mode === 'canary' && p >= 100) {
    throw new DeploymentRuleError('invalid-traffic', `An analysed canary's traffic must be below 100%, got ${p}: the champion arm needs decisions to be judged. Promote it instead.`);
  }
}

function checkPercent(p: number): void {
  if (!isTrafficPercent(p)) throw new DeploymentRuleError('invalid-traffic', `trafficPercent must be between 0 and 100 with at most two decimals, got ${p}.`);
}

/** A policy version means one pair of thresholds forever: reusing it with others is refused. */
function boundPolicy(state: DeploymentState, policy: PolicySnapshot | null, model: ModelVersionRef | null): PolicySnapshot {
  if (policy === null) {
    throw new DeploymentRuleError(
      'no-policy',
      `No policy: ${model ? `${model.name}@${model.version} recommends none and ` : ''}none is in force; give one.`,
    );
  }
  const bound = state.policies[policy.version];
  if (bound && (bound.reviewThreshold !== policy.reviewThreshold || bound.declineThreshold !== policy.declineThreshold)) {
    throw new DeploymentRuleError(
      'policy-version-conflict',
      `Policy version "${policy.version}" is bound to thresholds review ${bound.reviewThreshold} / decline ${bound.declineThreshold}; ` +
        'a new pair of thresholds needs a new version.',
    );
  }
  return { version: policy.version, reviewThreshold: policy.reviewThreshold, declineThreshold: policy.declineThreshold };
}
