import type { DecisionRequest } from './decision-request';

/** Event type names are part of the stored format: never rename one. */
export const DECISION_MADE = 'DecisionMade' as const;
export const DECISION_MADE_SCHEMA_VERSION = 1 as const;

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

export interface DecisionEventMetadata {
  readonly correlationId: string;
  readonly causationId: string;
  readonly schemaVersion: 1;
  readonly producer: string;
}

export const decisionStreamId = (transactionId: string): string => `decision-${transactionId}`;
export const DECISION_STREAM_PREFIX = 'decision-';
