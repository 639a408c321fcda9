import type { DecisionMade, Outcome, PolicySnapshot, Reason } from './decision-made.event';

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
  /** The deployment revision and arm that decided. */
  readonly deployment: { readonly revision: number; readonly arm: 'champion' | 'challenger' };
}

export function toDecisionResponse(event: DecisionMade, position: bigint): DecisionResponse {
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
    deployment: { revision: event.deployment.revision, arm: event.deployment.arm },
  };
}
