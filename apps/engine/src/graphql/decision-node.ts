import type { DecisionSummary } from '@verdict/read-models';
import type { DecisionAuditRecord } from '../decisions/decision-audit-record';
import { Arm, Outcome, type Decision } from './decision.types';

/**
 * What a Decision resolves from: its scalar fields, plus the whole event when it is at hand (a single decision, the
 * subscription). Without it (a list from the read model), the other fields load the event through the request's
 * DecisionStreams loader.
 */
export type DecisionNode = Decision & { readonly record?: DecisionAuditRecord };

/** A row of GET /v1/decisions' read model (positions exact). */
export function fromSummary(s: DecisionSummary): DecisionNode {
  return {
    decisionId: s.decisionId,
    transactionId: s.transactionId,
    position: s.position,
    outcome: s.outcome as Outcome,
    score: s.score,
    occurredAt: new Date(s.occurredAt),
    decidedAt: new Date(s.decidedAt),
    recordedAt: new Date(s.recordedAt),
    cardId: s.cardId,
    customerId: s.customerId,
    merchantId: s.merchantId,
    amount: s.amount,
    currency: s.currency,
    channel: s.channel,
    country: s.country,
    model: { name: s.modelName, version: s.modelVersion, sha256: s.modelSha256 },
    arm: s.arm as Arm,
    deploymentRevision: s.deploymentRevision,
  };
}

/** The event itself, upcast to the current schema; `position` exact when the caller has the store's bigint. */
export function fromRecord(r: DecisionAuditRecord, position: bigint | number = r.position): DecisionNode {
  const request = r.request;
  return {
    decisionId: r.decisionId,
    transactionId: r.transactionId,
    position: position.toString(),
    outcome: r.outcome as Outcome,
    score: r.score,
    occurredAt: new Date(request.occurredAt),
    decidedAt: new Date(r.decidedAt),
    recordedAt: new Date(r.recordedAt),
    cardId: request.cardId,
    customerId: request.customerId ?? null,
    merchantId: request.merchantId,
    amount: request.amount,
    currency: request.currency,
    channel: request.channel ?? null,
    country: request.country ?? null,
    model: { name: r.model.name, version: r.model.version, sha256: r.model.sha256 },
    arm: r.deployment.arm as Arm,
    deploymentRevision: r.deployment.revision,
    record: r,
  };
}
