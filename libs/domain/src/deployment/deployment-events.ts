import type { PolicySnapshot } from '../decision-made.event';
import type { CanaryAnalysisSpec, AnalysisEvidence } from './canary-analysis';

/** The one decision flow's stream: every change to what decides is an event on it. Documented in docs/events.md. */
export const DEPLOYMENT_STREAM = 'deployment-decisions';

export const CHAMPION_CHANGED = 'ChampionChanged' as const;
export const CHALLENGER_DEPLOYED = 'ChallengerDeployed' as const;
export const CANARY_TRAFFIC_CHANGED = 'CanaryTrafficChanged' as const;
export const CHALLENGER_PROMOTED = 'ChallengerPromoted' as const;
export const CHALLENGER_ROLLED_BACK = 'ChallengerRolledBack' as const;
export const CHAMPION_ROLLED_BACK = 'ChampionRolledBack' as const;
export const POLICY_CHANGED = 'PolicyChanged' as const;

export const DEPLOYMENT_EVENT_TYPES = [
  CHAMPION_CHANGED,
  CHALLENGER_DEPLOYED,
  CANARY_TRAFFIC_CHANGED,
  CHALLENGER_PROMOTED,
  CHALLENGER_ROLLED_BACK,
  CHAMPION_ROLLED_BACK,
  POLICY_CHANGED,
] as const;
export type DeploymentEventType = (typeof DEPLOYMENT_EVENT_TYPES)[number];

export const ROUTING_KEYS = ['cardId', 'customerId', 'merchantId', 'transactionId'] as const;
export type RoutingKey = (typeof ROUTING_KEYS)[number];

export type ChallengerMode = 'canary' | 'shadow';

/** A registered model version as a deployment holds it: its identity and the bytes the runtime loads. */
export interface DeployedModel {
  readonly name: string;
  readonly version: string;
  /** The uploaded bytes' hash (the registry's identity of the version). */
  readonly sha256: string;
  /** The bytes the runtime loads (differs from sha256 when the registry rewrote the graph, e.g. ZipMap). */
  readonly servedSha256: string;
}

export interface Standby {
  readonly model: DeployedModel;
  readonly policy: PolicySnapshot;
}

export interface Challenger {
  /** New for every ChallengerDeployed: routing hashes with it, so each deployment splits traffic afresh. */
  readonly deploymentId: string;
  readonly model: DeployedModel;
  readonly mode: ChallengerMode;
  /** canary: share of traffic the challenger decides; shadow: share of requests it also scores. 0–100, 2 decimals. */
  readonly trafficPercent: number;
  readonly routingKey: RoutingKey;
  readonly policy: PolicySnapshot;
  readonly analysis: CanaryAnalysisSpec | null;
  readonly since: string;
}

/** Who changed what, why and when: on every deployment event. */
export interface ChangeContext {
  readonly actor: string;
  readonly reason: string;
  readonly at: string;
  /** The deployment revision this event creates (its 1-based place in the stream). */
  readonly revision: number;
}

export interface ChampionChangedV1 extends ChangeContext {
  readonly schemaVersion: 1;
  readonly champion: DeployedModel;
  readonly policy: PolicySnapshot;
  readonly previous: { readonly champion: DeployedModel | null; readonly policy: PolicySnapshot | null; readonly standby: Standby | null };
}

export interface ChallengerDeployedV1 extends ChangeContext {
  readonly schemaVersion: 1;
  readonly challenger: Challenger;
  readonly previous: { readonly challenger: Challenger | null };
}

export interface CanaryTrafficChangedV1 extends ChangeContext {
  readonly schemaVersion: 1;
  readonly deploymentId: string;
  readonly trafficPercent: number;
  readonly automatic: boolean;
  readonly evidence: AnalysisEvidence | null;
  readonly previous: { readonly trafficPercent: number };
}

export interface ChallengerPromotedV1 extends ChangeContext {
  readonly schemaVersion: 1;
  readonly deploymentId: string;
  readonly champion: DeployedModel;
  readonly policy: PolicySnapshot;
  readonly automatic: boolean;
  readonly evidence: AnalysisEvidence | null;
  readonly previous: {
    readonly champion: DeployedModel | null;
    readonly policy: PolicySnapshot | null;
    readonly standby: Standby | null;
    readonly challenger: Challenger;
  };
}

export interface ChallengerRolledBackV1 extends ChangeContext {
  readonly schemaVersion: 1;
  readonly deploymentId: string;
  readonly automatic: boolean;
  /** For an automatic rollback: the checks and the figures observed that failed them. */
  readonly evidence: AnalysisEvidence | null;
  readonly previous: { readonly challenger: Challenger };
}

export interface ChampionRolledBackV1 extends ChangeContext {
  readonly schemaVersion: 1;
  /** The standby, now champion again. */
  readonly champion: DeployedModel;
  readonly policy: PolicySnapshot;
  readonly previous: { readonly champion: DeployedModel; readonly policy: PolicySnapshot; readonly standby: Standby };
}

export interface PolicyChangedV1 extends ChangeContext {
  readonly schemaVersion: 1;
  readonly target: 'champion' | 'challenger';
  readonly policy: PolicySnapshot;
  readonly previous: { readonly policy: PolicySnapshot };
}

export type DeploymentEvent =
  | { readonly type: typeof CHAMPION_CHANGED; readonly data: ChampionChangedV1 }
  | { readonly type: typeof CHALLENGER_DEPLOYED; readonly data: ChallengerDeployedV1 }
  | { readonly type: typeof CANARY_TRAFFIC_CHANGED; readonly data: CanaryTrafficChangedV1 }
  | { readonly type: typeof CHALLENGER_PROMOTED; readonly data: ChallengerPromotedV1 }
  | { readonly type: typeof CHALLENGER_ROLLED_BACK; readonly data: ChallengerRolledBackV1 }
  | { readonly type: typeof CHAMPION_ROLLED_BACK; readonly data: ChampionRolledBackV1 }
  | { readonly type: typeof POLICY_CHANGED; readonly data: PolicyChangedV1 };

export const isDeploymentEventType = (type: string): type is DeploymentEventType =>
  (DEPLOYMENT_EVENT_TYPES as readonly string[]).includes(type);
