import type { DecisionRequest } from './decision-request';
import type { PersonalEnvelope } from './privacy/protect-request';

/** Event type names are part of the stored format: never rename one. */
export const DECISION_MADE = 'DecisionMade' as const;
/** Version written today; readers accept every earlier one through upcastDecisionMade. */
export const DECISION_MADE_SCHEMA_VERSION = 4 as const;

export type Outcome = 'approve' | 'review' | 'decline';

export interface Reason {
  readonly feature: string;
  /** The feature's value as fed to the model (float32). */
  readonly value: number;
  /** How much this feature raised (+) or lowered (−) the score against its baseline value. */
  readonly contribution: number;
}

export interface PolicySnapshot {
  readonly version: string;
  readonly reviewThreshold: number;
  readonly declineThreshold: number;
}

export interface ModelSnapshot {
  readonly name: string;
  readonly version: string;
  readonly sha256: string;
  readonly inputName: string;
  readonly outputNames: readonly string[];
  readonly scoreOutput: { readonly name: string; readonly column: number };
  readonly runtime: {
    readonly name: string;
    readonly version: string;
    readonly executionProviders: readonly string[];
    readonly sessionOptions: Readonly<Record<string, unknown>>;
  };
}

/**
 * DecisionMade, schema version 1: self-contained, so an auditor needs nothing else to understand or replay it.
 * Documented field by field in docs/events.md.
 */
export interface DecisionMadeV1 {
  readonly schemaVersion: 1;
  readonly decisionId: string;
  readonly transactionId: string;
  /** The validated request exactly as received. */
  readonly request: DecisionRequest;
  /** sha256 of the request's canonical JSON: a retry with the same hash is the same command. */
  readonly requestHash: string;
  /** The input row exactly as fed to the model: float32 values, in model column order. */
  readonly features: { readonly names: readonly string[]; readonly values: readonly number[] };
  readonly model: ModelSnapshot;
  /** Every tensor output of the model for this row. */
  readonly modelOutputs: Readonly<Record<string, { type: string; dims: readonly number[]; data: readonly unknown[] }>>;
  readonly score: number;
  readonly policy: PolicySnapshot;
  readonly outcome: Outcome;
  readonly reasons: readonly Reason[];
  /** Baseline values used to compute the reasons (one per feature). */
  readonly explanation: { readonly method: 'baseline-substitution'; readonly baseline: readonly number[] };
  readonly decidedAt: string;
  readonly timings: { readonly featuresMs: number; readonly inferenceMs: number; readonly totalMs: number };
}

/**
 * Which arm of the deployment decided. `revision` is the deployment revision whose routing table scored the
 * request (0: before deployments existed, i.e. an upcast version-1 event).
 */
export interface DecisionDeployment {
  readonly revision: number;
  readonly arm: 'champion' | 'challenger';
  /** The request's routing bucket (0–9999) under the challenger deployment in force; null without one. */
  readonly bucket: number | null;
  /** Set when the request was routed to the challenger, its run failed, and the champion decided instead. */
  readonly challengerError?: string;
}

/** In shadow mode: what the challenger said about the same request. It never changes the decision. */
export interface ShadowResult {
  readonly model: ModelSnapshot;
  readonly policy: PolicySnapshot;
  /** Present when the shadow run succeeded. */
  readonly score?: number;
  readonly outcome?: Outcome;
  readonly modelOutputs?: DecisionMadeV1['modelOutputs'];
  readonly inferenceMs: number;
  /** Present when the shadow run failed: the failure, recorded instead of failing the decision. */
  readonly error?: string;
}

/**
 * DecisionMade, schema version 2: version 1 plus the deployment that decided (revision, arm, routing bucket) and,
 * in shadow mode, the challenger's verdict on the same request.
 */
export interface DecisionMadeV2 extends Omit<DecisionMadeV1, 'schemaVersion'> {
  readonly schemaVersion: 2;
  readonly deployment: DecisionDeployment;
  readonly shadow?: ShadowResult;
}

/**
 * DecisionMade, schema version 3: version 2 plus, when the model read history features (docs/features.md), the log
 * position through which the history had been applied when they were computed, and the state's bound: with both, the
 * history features can be computed again from the log, exactly (historyAsOf).
 */
export interface DecisionMadeV3 extends Omit<DecisionMadeV2, 'schemaVersion'> {
  readonly schemaVersion: 3;
  /** Decimal global log position; present exactly when `features` holds history features. */
  readonly featuresAsOf?: string;
  /** The history state's bound on entities per kind (VERDICT_HISTORY_MAX_ENTITIES) when they were computed. */
  readonly historyMaxEntities?: number;
}

/**
 * DecisionMade, schema version 4: version 3 with personal data protected (docs/security.md, "Erasure"). In `request`,
 * each personal value (customerId, deviceId, ip, cardId unless card ids are tokens, attributes configured personal)
 * is a keyed pseudonym (`ps_…`); the clear values are in `personal`, sealed (AES-256-GCM) under the data subject's
 * key. `requestHash` is taken over that pseudonymised request. Absent `personal`: nothing in the request is personal.
 */
export interface DecisionMadeV4 extends Omit<DecisionMadeV3, 'schemaVersion'> {
  readonly schemaVersion: 4;
  readonly personal?: PersonalEnvelope;
}

/** The current shape every reader works with. */
export type DecisionMade = DecisionMadeV4;

/**
 * Reads a stored DecisionMade of any version as the current one. Version 1 predates deployments: revision 0,
 * champion. Versions 1 and 2 predate history features: no `featuresAsOf`. Versions 1 to 3 predate protected
 * personal data: their requests are in the clear, with no `personal`.
 */
export function upcastDecisionMade(data: unknown): DecisionMade {
  const event = data as DecisionMadeV1 | DecisionMadeV2 | DecisionMadeV3 | DecisionMadeV4;
  if (event.schemaVersion === 4) return event;
  if (event.schemaVersion === 3) return { ...event, schemaVersion: 4 };
  if (event.schemaVersion === 2) return { ...event, schemaVersion: 4 };
  if (event.schemaVersion === 1) return { ...event, schemaVersion: 4, deployment: { revision: 0, arm: 'champion', bucket: null } };
  throw new RangeError(`DecisionMade schema version ${String((event as { schemaVersion?: unknown }).schemaVersion)} is newer than this build`);
}

export interface DecisionEventMetadata {
  readonly correlationId: string;
  readonly causationId: string;
  readonly schemaVersion: number;
  readonly producer: string;
}

export const decisionStreamId = (transactionId: string): string => `decision-${transactionId}`;
export const DECISION_STREAM_PREFIX = 'decision-';
