import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { performance } from 'node:perf_hooks';
import {
  DECISION_MADE,
  DECISION_MADE_SCHEMA_VERSION,
  decisionStreamId,
  upcastDecisionMade,
  type DecisionEventMetadata,
  type DecisionMade,
  type DecisionRequest,
} from '@verdict/domain';
import { NO_STREAM, isWrongExpectedRevision, type EventStore } from '@verdict/event-store';
import { EVENT_STORE } from '../infrastructure/tokens';
import { DecisionMetrics } from '../metrics/decision-metrics';
import { DecisionScorer } from './decision-scorer';
import { CorruptDecisionStreamError, IdempotencyConflictError } from './idempotency-conflict.error';
import { MakeDecisionCommand, type MakeDecisionResult } from './make-decision.command';

const PRODUCER = 'verdict-engine';

/**
 * Decide, then durably append with "stream must not exist"; answer only after the append resolved.
 * Retries: the stream already exists → the stored decision is the answer if the request is the same, else a conflict.
 * Concurrent identical requests in this process share one attempt (single flight), so they can't race each other.
 */
@CommandHandler(MakeDecisionCommand)
export class MakeDecisionHandler implements ICommandHandler<MakeDecisionCommand, MakeDecisionResult> {
  private readonly inFlight = new Map<string, Promise<MakeDecisionResult>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly scorer: DecisionScorer,
    private readonly metrics: DecisionMetrics,
  ) {}

  async execute(command: MakeDecisionCommand): Promise<MakeDecisionResult> {
    const { request } = command;
    const requestHash = DecisionScorer.requestHash(request);
    const pending = this.inFlight.get(request.transactionId);
    if (pending) {
      const first = await pending.catch(() => undefined);
      if (first) return this.asRetry(first.event, first.position, requestHash);
      // The attempt we joined failed (a conflict with an earlier decision, or the store): this request gets its own
      // attempt, so it is answered for its own body and never with another request's error.
    }
    const attempt = this.decideAndRecord(command, requestHash);
    this.inFlight.set(request.transactionId, attempt);
    try {
      return await attempt;
    } finally {
      this.inFlight.delete(request.transactionId);
    }
  }

  private async decideAndRecord(command: MakeDecisionCommand, requestHash: string): Promise<MakeDecisionResult> {
    const event = await this.scorer.score(command.request, requestHash, command.startedAt);
    const streamId = decisionStreamId(command.request.transactionId);
    const metadata: DecisionEventMetadata = {
      correlationId: command.correlationId,
      causationId: command.correlationId,
      schemaVersion: DECISION_MADE_SCHEMA_VERSION,
      producer: PRODUCER,
    };
    const appendStart = performance.now();
    try {
      const result = await this.store.appendToStream(
        streamId,
        [{ id: event.decisionId, type: DECISION_MADE, data: event as unknown as Record<string, unknown>, metadata: { ...metadata } }],
        { expectedRevision: NO_STREAM },
      );
      const appendMs = performance.now() - appendStart;
      this.metrics.recorded(event, appendMs);
      return { created: true, event, position: result.position, appendMs };
    } catch (error) {
      if (!isWrongExpectedRevision(error)) {
        this.metrics.appendFailed();
        throw error;
      }
      return this.answerFromStore(command.request, requestHash);
    }
  }

  private async answerFromStore(request: DecisionRequest, requestHash: string): Promise<MakeDecisionResult> {
    const streamId = decisionStreamId(request.transactionId);
    const [first] = await this.store.readStream(streamId, { maxCount: 1 });
    if (!first || first.type !== DECISION_MADE) throw new CorruptDecisionStreamError(streamId);
    return this.asRetry(upcastDecisionMade(first.data), first.position, requestHash);
  }

  private asRetry(original: DecisionMade, position: bigint, requestHash: string): MakeDecisionResult {
    if (original.requestHash !== requestHash) {
      this.metrics.conflict();
      throw new IdempotencyConflictError(original.transactionId, original.decisionId);
    }
    this.metrics.replayed();
    return { created: false, event: original, position, appendMs: 0 };
  }
}
