import type { DecisionMadeV1, Outcome, PolicySnapshot, Reason } from './decision-made.event';

/** The answer to POST /v1/decisions (201 new, 200 replayed). */
export interface DecisionResponse {
  readonly decisionId: string;
  readonly transactionId: string;
  readonly outcome: Outcome;
  readonly score: number;
  readonly reasons: readonly Reason[];
  readonly model: { readonly name: string; readonly version: string; readonly sha256: string };
  readonly policy: PolicySnapshot;
  readonly decidedAt: string;
  readonly latencyMs: number;
  readonly position: number;
}

export function toDecisionResponse(event: DecisionMadeV1, position: bigint): DecisionResponse {
  return {
    decisionId: event.decisionId,
    transactionId: event.transactionId,
    outcome: event.outcome,
    score: event.score,
    reasons: event.reasons,
    model: { name: event.model.name, version: event.model.version, sha256: event.model.sha256 },
    policy: event.policy,
    decidedAt: event.decidedAt,
    latencyMs: event.timings.totalMs,
    position: Number(position),
  };
}
