import { randomUUID } from 'node:crypto';
import type { DecisionRequest } from '@verdict/domain/decision-request';
import {
  DECISION_MADE,
  decisionStreamId,
  type DecisionMadeV1,
  type Outcome,
} from '@verdict/domain/decision-made.event';
import { decisionIdFor, sha256Hex } from '@verdict/domain/deterministic-id';
import { SUBJECT_ERASED, subjectErasureStreamId, type SubjectErased } from '@verdict/domain/privacy/subject-erased.event';
import type { EventData, RecordedEvent } from '@verdict/event-store/event-store.port';

export interface DecisionFixtureOverrides {
  readonly transactionId?: string;
  readonly request?: Partial<DecisionRequest>;
  readonly outcome?: Outcome;
  readonly score?: number;
  readonly decidedAt?: string;
  readonly schemaVersion?: number;
  /**
   * Makes it a DecisionMade v4 with a (dummy) sealed envelope of this subject: the request's personal values should
   * then be pseudonyms (`ps_…`), given in `request`.
   */
  readonly subject?: { readonly ref: string; readonly keyId?: string };
}

/**
 * Builds complete DecisionMade v1 events for tests: each call gets the next transaction id (tx-0001, ...) and a
 * decision a second later than the previous one, unless overridden.
 */
export class DecisionMadeFixture {
  private sequence = 0;

  constructor(
    private readonly prefix = 'tx',
    private readonly start = Date.parse('2026-01-15T10:00:00.000Z'),
  ) {}

  data(overrides: DecisionFixtureOverrides = {}): DecisionMadeV1 {
    this.sequence += 1;
    const n = this.sequence;
    const transactionId = overrides.transactionId ?? `${this.prefix}-${String(n).padStart(4, '0')}`;
    const decidedAt = overrides.decidedAt ?? new Date(this.start + n * 1000).toISOString();
    const request: DecisionRequest = {
      transactionId,
      occurredAt: new Date(Date.parse(decidedAt) - 250).toISOString().replace('Z', '+00:00'),
      amount: 10 + (n % 17) * 3.25,
      currency: 'EUR',
      cardId: `card-${n % 3}`,
      merchantId: `merchant-${n % 4}`,
      customerId: `customer-${n % 5}`,
      channel: 'ecom',
      country: 'DE',
      ...overrides.request,
    };
    const score = overrides.score ?? (n % 10) / 10;
    const outcome = overrides.outcome ?? (score >= 0.9 ? 'decline' : score >= 0.5 ? 'review' : 'approve');
    const features = { names: ['amount', 'hour'], values: [request.amount, 10] };
    // Typed as v1 for the callers; a v4 carries the fields the projections read beyond v1.
    const v4 = overrides.subject
      ? { deployment: { revision: 0, arm: 'champion', bucket: null }, personal: { subject: overrides.subject.ref, keyId: overrides.subject.keyId ?? defaultKeyId(overrides.subject.ref), iv: 'aXY', data: 'c2VhbGVk' } }
      : {};
    return {
      ...v4,
      schemaVersion: (overrides.schemaVersion ?? (overrides.subject ? 4 : 1)) as 1,
      decisionId: decisionIdFor(transactionId),
      transactionId,
      request,
      requestHash: sha256Hex(JSON.stringify(request)),
      features,
      model: {
        name: 'fraud-demo',
        version: '2026.01',
        sha256: 'a'.repeat(64),
        inputName: 'input',
        outputNames: ['probabilities'],
        scoreOutput: { name: 'probabilities', column: 1 },
        runtime: { name: 'onnxruntime-node', version: '1.30.0', executionProviders: ['cpu'], sessionOptions: {} },
      },
      modelOutputs: { probabilities: { type: 'float32', dims: [1, 2], data: [1 - score, score] } },
      score,
      policy: { version: 'policy-7', reviewThreshold: 0.5, declineThreshold: 0.9 },
      outcome,
      reasons: [{ feature: 'amount', value: request.amount, contribution: 0.01 }],
      explanation: { method: 'baseline-substitution', baseline: [0, 0] },
      decidedAt,
      timings: { featuresMs: 0.1, inferenceMs: 0.4, totalMs: 0.6 },
    };
  }

  /** An event to append to `decision-<transactionId>`. */
  event(overrides: DecisionFixtureOverrides = {}): { streamId: string; event: EventData; data: DecisionMadeV1 } {
    const data = this.data(overrides);
    return {
      streamId: decisionStreamId(data.transactionId),
      event: {
        id: data.decisionId,
        type: DECISION_MADE,
        data: data as unknown as Record<string, unknown>,
        metadata: { correlationId: data.decisionId, causationId: data.decisionId, schemaVersion: 1, producer: 'test' },
      },
      data,
    };
  }

  /** The event as a store would deliver it at `position` (for feeding projections directly). */
  recorded(position: bigint, overrides: DecisionFixtureOverrides = {}): RecordedEvent {
    const { streamId, event } = this.event(overrides);
    return {
      id: event.id,
      type: event.type,
      streamId,
      revision: 0n,
      position,
      data: event.data,
      metadata: event.metadata ?? {},
      recordedAt: new Date(Date.parse(String(event.data.decidedAt)) + 5),
    };
  }
}

/** The key id a fixture decision of subject `ref` is sealed under, and its erasure destroys, unless told otherwise. */
export const defaultKeyId = (ref: string): string => `k-${ref}`;

/** A SubjectErased (v1) of `subjectRef`, forgetting the given pseudonyms: to append to `erasure-<subjectRef>`. */
export function subjectErasedEvent(
  subjectRef: string,
  pseudonyms: Partial<SubjectErased['pseudonyms']> = {},
  keyIds: readonly string[] = [defaultKeyId(subjectRef)],
): { streamId: string; event: EventData } {
  const data: SubjectErased = {
    schemaVersion: 1,
    subjectRef,
    keyIds,
    pseudonyms: { cardId: pseudonyms.cardId ?? [], customerId: pseudonyms.customerId ?? [] },
    erasedAt: '2026-01-16T00:00:00.000Z',
  };
  return {
    streamId: subjectErasureStreamId(subjectRef),
    event: { id: randomUUID(), type: SUBJECT_ERASED, data: data as unknown as Record<string, unknown>, metadata: { schemaVersion: 1 } },
  };
}

/** The SubjectErased as a store would deliver it at `position`. */
export function recordedSubjectErased(position: bigint, subjectRef: string, pseudonyms: Partial<SubjectErased['pseudonyms']> = {}, keyIds?: readonly string[]): RecordedEvent {
  const { streamId, event } = subjectErasedEvent(subjectRef, pseudonyms, keyIds);
  return { id: event.id, type: event.type, streamId, revision: 0n, position, data: event.data, metadata: event.metadata ?? {}, recordedAt: new Date('2026-01-16T00:00:00.000Z') };
}
