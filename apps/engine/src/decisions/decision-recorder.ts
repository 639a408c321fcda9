import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import {
  newEventId,
  canonicalJson,
  sha256Hex,
  withPersonal,
  withSortedKeys,
  DECISION_MADE,
  DECISION_MADE_SCHEMA_VERSION,
  decisionStreamId,
  upcastDecisionMade,
  type DecisionEventMetadata,
  type DecisionMade,
  type DecisionRequest,
  type ProtectedRequest,
} from '@verdict/domain';
import { NO_STREAM, isWrongExpectedRevision, type AppendResult, type EventStore } from '@verdict/event-store';
import type { SubjectKey } from '@verdict/subject-keys';
import { EVENT_STORE } from '../infrastructure/tokens';
import { DecisionMetrics } from '../metrics/decision-metrics';
import { PersonalData } from '../privacy/personal-data';
import { asError, DecisionScorer } from './decision-scorer';
import { CorruptDecisionStreamError, IdempotencyConflictError } from './idempotency-conflict.error';
import type { MakeDecisionResult } from './make-decision.command';

const PRODUCER = 'verdict-engine';

/** A decision as stored: what a retry of its transaction is answered with. */
interface Stored {
  readonly event: DecisionMade;
  readonly position: bigint;
  /** What the decision was recorded under (its metadata's correlationId). */
  readonly correlationId?: string;
  /** Stored before personal data was pseudonymised (DecisionMade v1–v3): its hash is over the request in the clear. */
  readonly clearHash?: boolean;
}

/** A validated request to decide, with its hash and where it came from. */
export interface DecisionItem {
  /** As received: what features and routing read. */
  readonly request: DecisionRequest;
  /** As the log holds it: pseudonyms in place of personal values, and the clear values to seal. */
  readonly protected: ProtectedRequest;
  readonly requestHash: string;
  readonly correlationId: string;
  /** performance.now() when the request arrived, for the recorded timings. */
  readonly startedAt: number;
}

/**
 * A validated request ready to decide: its keys sorted once (the event records it, and its canonical JSON then
 * copies nothing), its personal values pseudonymised, and its hash over the canonical JSON of what the log holds
 * (no personal value in the clear), which tells a retry from a conflicting request.
 */
export function decisionItem(request: DecisionRequest, correlationId: string, personal: PersonalData, startedAt: number): DecisionItem {
  const sorted = withSortedKeys(request);
  const safe = personal.vault.protect(sorted);
  return { request: sorted, protected: safe, requestHash: sha256Hex(canonicalJson(safe.stored)), correlationId, startedAt };
}

/** What one item came to: its result, or the error that answers it alone (a conflict, a model failure). */
export type DecisionOutcome = MakeDecisionResult | Error;

/**
 * Decides and durably records one request or many: every new transaction is scored in one run per model and
 * appended with "stream must not exist" in one group commit; each is answered only after that commit. A transaction
 * already decided answers with the stored decision if the request is the same, else a conflict. The same transaction
 * twice in one call, or in flight in another request of this process, is decided once (single flight), so requests
 * never race each other. A refusal of one item's append, or a failure to read back one retry's decision, is that
 * item's outcome alone.
 * @throws when the store or the champion model fails: then no item of the call may be taken as decided.
 */
@Injectable()
export class DecisionRecorder {
  /** Transactions being decided in this process → their stored decision once known. */
  private readonly flights = new Map<string, Promise<Stored>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly scorer: DecisionScorer,
    private readonly metrics: DecisionMetrics,
    private readonly personal: PersonalData,
  ) {}

  /** A request ready for record(). */
  item(request: DecisionRequest, correlationId: string, startedAt: number): DecisionItem {
    return decisionItem(request, correlationId, this.personal, startedAt);
  }

  async record(items: readonly DecisionItem[]): Promise<DecisionOutcome[]> {
    const outcomes = new Array<DecisionOutcome>(items.length);
    const leaders: number[] = [];
    const followers: number[] = [];
    const elsewhere: number[] = [];
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const tx = item.request.transactionId;
      if (seen.has(tx)) followers.push(i);
      else if (this.flights.has(tx)) elsewhere.push(i);
      else leaders.push(i);
      seen.add(tx);
    });
    const originals = new Map<string, Promise<Stored>>();
    const settle = new Map<string, { resolve: (s: Stored) => void; reject: (e: unknown) => void }>();
    for (const i of leaders) {
      const tx = (items[i] as DecisionItem).request.transactionId;
      const original = new Promise<Stored>((resolve, reject) => settle.set(tx, { resolve, reject }));
      original.catch(() => undefined); // its failure is reported through the outcomes, never unhandled
      originals.set(tx, original);
      this.flights.set(tx, original);
    }
    try {
      await this.decideNew(items, leaders, outcomes, (tx, stored) => settle.get(tx)?.resolve(stored));
    } finally {
      for (const i of leaders) {
        const tx = (items[i] as DecisionItem).request.transactionId;
        const outcome = outcomes[i];
        settle.get(tx)?.reject(outcome instanceof Error ? outcome : new Error('the decision was not recorded'));
        this.flights.delete(tx);
      }
    }
    await Promise.all(elsewhere.map(async (i) => (outcomes[i] = await this.joinFlight(items[i] as DecisionItem))));
    for (const i of followers) {
      // Its transaction came earlier in this call: answered as a retry of that decision. If that attempt failed (its
      // body could not be scored, say), this request gets its own, so it is answered for its own body.
      const item = items[i] as DecisionItem;
      const original = originals.get(item.request.transactionId) ?? this.flights.get(item.request.transactionId);
      const stored = await original?.catch(() => undefined);
      outcomes[i] = stored ? this.asRetry(stored, item) : ((await this.record([item]))[0] as DecisionOutcome);
    }
    return outcomes;
  }

  /** Scores the leaders together and appends their decisions in one batch; fills in their outcomes. */
  private async decideNew(
    items: readonly DecisionItem[],
    leaders: readonly number[],
    outcomes: DecisionOutcome[],
    known: (tx: string, stored: Stored) => void,
  ): Promise<void> {
    if (leaders.length === 0) return;
    const batch = leaders.map((i) => items[i] as DecisionItem);
    // The subject keys become durable while the model runs: a decision is never stored before the key it needs.
    const [scored, keys] = await Promise.all([
      this.scorer.scoreAll(batch.map((item) => ({ request: item.request, stored: item.protected.stored, requestHash: item.requestHash, startedAt: item.startedAt }))),
      this.personal.vault.prepare(batch.map((item) => item.protected)),
    ]);
    const decided: { index: number; event: DecisionMade }[] = [];
    scored.forEach((outcome, k) => {
      const index = leaders[k] as number;
      if (outcome instanceof Error) outcomes[index] = outcome;
      else decided.push({ index, event: this.sealed(outcome, (items[index] as DecisionItem).protected, keys) });
    });
    const appendStart = performance.now();
    let appended: ReadonlyArray<AppendResult | Error>;
    try {
      appended = await this.store.appendBatch(decided.map(({ index, event }) => this.appendOf(items[index] as DecisionItem, event)));
    } catch (error) {
      this.metrics.appendFailed();
      throw error;
    }
    const appendMs = performance.now() - appendStart;
    await Promise.all(
      decided.map(async ({ index, event }, k) => {
        const result = appended[k];
        const item = items[index] as DecisionItem;
        if (result instanceof Error) {
          // This item's own refusal: it fails alone; the others of the batch are recorded and answered.
          if (!isWrongExpectedRevision(result)) {
            this.metrics.appendFailed();
            outcomes[index] = result;
            return;
          }
          try {
            const stored = await this.readStored(item.request.transactionId);
            known(item.request.transactionId, stored);
            outcomes[index] = this.asRetry(stored, item);
          } catch (error) {
            outcomes[index] = asError(error);
          }
          return;
        }
        this.metrics.recorded(event, appendMs);
        known(item.request.transactionId, { event, position: (result as AppendResult).position, correlationId: item.correlationId });
        outcomes[index] = { created: true, event, position: (result as AppendResult).position, appendMs, correlationId: item.correlationId };
      }),
    );
  }

  /** The event with its personal values sealed under the subject's key (keys kept in sorted order). */
  private sealed(event: DecisionMade, item: ProtectedRequest, keys: ReadonlyMap<string, SubjectKey>): DecisionMade {
    const personal = this.personal.vault.envelope(item, event.decisionId, keys);
    return personal ? withSortedKeys(withPersonal(event, personal)) : event;
  }

  /** The transaction is being decided by another request here: answer from its decision, or try on our own. */
  private async joinFlight(item: DecisionItem): Promise<DecisionOutcome> {
    const stored = await this.flights.get(item.request.transactionId)?.catch(() => undefined);
    if (stored) return this.asRetry(stored, item);
    // The attempt we joined failed: this request gets its own, so it is answered for its own body.
    const [own] = await this.record([item]);
    return own as DecisionOutcome;
  }

  private appendOf(item: DecisionItem, event: DecisionMade) {
    const metadata: DecisionEventMetadata = {
      causationId: item.correlationId,
      correlationId: item.correlationId,
      producer: PRODUCER,
      schemaVersion: DECISION_MADE_SCHEMA_VERSION,
    };
    return {
      streamId: decisionStreamId(item.request.transactionId),
      // A fresh event id per attempt: a retry of a decided transaction is then refused by the stream's expected
      // revision on every store, in the append's own round trip (EventStoreDB would acknowledge a re-sent id as a
      // success and need a read-back). The decision keeps its own deterministic id, decisionId, in the data.
      events: [{ id: newEventId(), type: DECISION_MADE, data: event as unknown as Record<string, unknown>, metadata: metadata as unknown as Record<string, unknown> }],
      options: { expectedRevision: NO_STREAM, freshEventIds: true },
    };
  }

  private async readStored(transactionId: string): Promise<Stored> {
    const streamId = decisionStreamId(transactionId);
    const [first] = await this.store.readStream(streamId, { maxCount: 1 });
    if (!first || first.type !== DECISION_MADE) throw new CorruptDecisionStreamError(streamId);
    const clearHash = Number((first.data as { schemaVersion?: unknown }).schemaVersion) < 4;
    const correlationId = first.metadata.correlationId;
    return {
      event: upcastDecisionMade(first.data),
      position: first.position,
      ...(typeof correlationId === 'string' ? { correlationId } : {}),
      ...(clearHash ? { clearHash } : {}),
    };
  }

  private asRetry(stored: Stored, item: DecisionItem): DecisionOutcome {
    const requestHash = stored.clearHash ? sha256Hex(canonicalJson(item.request)) : item.requestHash;
    if (stored.event.requestHash !== requestHash) {
      this.metrics.conflict();
      return new IdempotencyConflictError(stored.event.transactionId, stored.event.decisionId);
    }
    this.metrics.replayed();
    return { created: false, event: stored.event, position: stored.position, appendMs: 0, correlationId: stored.correlationId };
  }
}

