import type { Outcome } from '@verdict/domain/decision-made.event';
import { timestampValue } from '../sql-dialect';

/** One decision in a list: plain JSON (ISO-8601 UTC strings, numbers; the position as a decimal string). */
export interface DecisionSummary {
  readonly decisionId: string;
  readonly transactionId: string;
  readonly streamId: string;
  readonly position: string;
  readonly cardId: string;
  readonly customerId: string | null;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  readonly channel: string | null;
  readonly country: string | null;
  readonly outcome: Outcome;
  readonly score: number;
  readonly modelName: string;
  readonly modelVersion: string;
  readonly modelSha256: string;
  readonly policyVersion: string;
  /** The deployment arm that decided, and the deployment revision in force (0 before deployments existed). */
  readonly arm: 'champion' | 'challenger';
  readonly deploymentRevision: number;
  readonly occurredAt: string;
  readonly decidedAt: string;
  readonly recordedAt: string;
}

/** Raw row as selected by DecisionQueries (aliases = DecisionSummary keys). */
export type DecisionSummaryRow = Record<keyof DecisionSummary, unknown>;

export function toDecisionSummary(row: DecisionSummaryRow): DecisionSummary {
  return {
    decisionId: String(row.decisionId),
    transactionId: String(row.transactionId),
    streamId: String(row.streamId),
    position: String(row.position),
    cardId: String(row.cardId),
    customerId: row.customerId === null ? null : String(row.customerId),
    merchantId: String(row.merchantId),
    amount: Number(row.amount),
    currency: String(row.currency),
    channel: row.channel === null ? null : String(row.channel),
    country: row.country === null ? null : String(row.country),
    outcome: row.outcome as Outcome,
    score: Number(row.score),
    modelName: String(row.modelName),
    modelVersion: String(row.modelVersion),
    modelSha256: String(row.modelSha256),
    policyVersion: String(row.policyVersion),
    arm: row.arm === 'challenger' ? 'challenger' : 'champion',
    deploymentRevision: Number(row.deploymentRevision),
    occurredAt: timestampValue(row.occurredAt).toISOString(),
    decidedAt: timestampValue(row.decidedAt).toISOString(),
    recordedAt: timestampValue(row.recordedAt).toISOString(),
  };
}
