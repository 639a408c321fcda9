import type { DecisionRequest } from './decision-request';
import {
  DECISION_MADE_SCHEMA_VERSION,
  type DecisionDeployment,
  type DecisionMade,
  type DecisionMadeV1,
  type ModelSnapshot,
  type PolicySnapshot,
  type ShadowResult,
} from './decision-made.event';
import { applyPolicy } from './policy';
import type { PersonalEnvelope } from './privacy/protect-request';
import { topReasons } from './explanation';
import { isCanonical } from './canonical-json';

export const MAX_REASONS = 5;

/**
 * The model gave a request NaN or ±Infinity (e.g. a value beyond float32's range): nothing can be decided on it.
 * A valid request the model cannot score, not a fault of the engine.
 */
export class NonFiniteScoreError extends Error {
  constructor(readonly score: number) {
    super(`The model produced a non-finite score (${String(score)}) for this request`);
    this.name = 'NonFiniteScoreError';
  }
}

export interface DecideInput {
  readonly decisionId: string;
  readonly request: DecisionRequest;
  readonly requestHash: string;
  readonly featureNames: readonly string[];
  /** The model's input row (float32). */
  readonly featureValues: Float32Array;
  readonly baseline: readonly number[];
  /** scores[0]: the real row; scores[i+1]: feature i at its baseline (see explanation.ts). */
  readonly scores: Float32Array;
  readonly model: ModelSnapshot;
  readonly modelOutputs: DecisionMadeV1['modelOutputs'];
  readonly policy: PolicySnapshot;
  readonly decidedAt: string;
  readonly timings: DecisionMadeV1['timings'];
  readonly deployment: DecisionDeployment;
  readonly shadow?: ShadowResult;
  /** When the row holds history features: the log position they were computed as of, and the state's bound. */
  readonly history?: { readonly asOf: bigint; readonly maxEntities: number };
}

/** The decide step: pure. Turns a scored request into the DecisionMade event that records it. */
export function decide(input: DecideInput): DecisionMade {
  const score = input.scores[0];
  if (!Number.isFinite(score)) throw new NonFiniteScoreError(score);
  // Keys in sorted order, so that the canonical JSON of the event (what is stored and hashed) copies nothing.
  return {
    decidedAt: input.decidedAt,
    decisionId: input.decisionId,
    deployment: input.deployment,
    explanation: { baseline: shared(input.baseline), method: 'baseline-substitution' },
    features: { names: shared(input.featureNames), values: numbersOf(input.featureValues) },
    ...(input.history === undefined ? {} : { featuresAsOf: input.history.asOf.toString() }),
    ...(input.history === undefined ? {} : { historyMaxEntities: input.history.maxEntities }),
    model: input.model,
    modelOutputs: input.modelOutputs,
    outcome: applyPolicy(score, input.policy),
    policy: input.policy,
    reasons: topReasons(input.featureNames, input.featureValues, input.scores, MAX_REASONS),
    request: input.request,
    requestHash: input.requestHash,
    schemaVersion: DECISION_MADE_SCHEMA_VERSION,
    score,
    ...(input.shadow === undefined ? {} : { shadow: input.shadow }),
    timings: input.timings,
    transactionId: input.request.transactionId,
  };
}

/**
 * An array withSortedKeys has returned is never changed afterwards, so the event holds it as it is (the engine passes
 * its loaded model's names and baseline, the same in every decision: nothing to allocate, walk or keep alive per
 * decision). Any other is copied, so that the event never changes with its caller's array. (Not Object.freeze: a
 * frozen array is written by JSON.stringify about 40 % slower.)
 */
function shared<T>(values: readonly T[]): readonly T[] {
  return isCanonical(values) ? values : [...values];
}

/**
 * The row as plain numbers. Array.from walks a typed array through its iterator: one result object per value, about
 * 1.7 KB of garbage per decision for 36 features; a counted loop fills a double array in place.
 */
function numbersOf(row: Float32Array): number[] {
  const out = new Array<number>(row.length);
  for (let i = 0; i < row.length; i++) out[i] = row[i] as number;
  return out;
}

/**
 * The event with its personal values sealed (`personal`), keys still in canonical order: `personal` goes in its
 * sorted place, and nothing else is copied or walked (the event's keys are sorted by decide).
 */
export function withPersonal(event: DecisionMade, personal: PersonalEnvelope): DecisionMade {
  const source = event as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const key in source) {
    if (!placed && key > 'personal') {
      out.personal = personal;
      placed = true;
    }
    if (key !== 'personal') out[key] = source[key];
  }
  if (!placed) out.personal = personal;
  return out as unknown as DecisionMade;
}
