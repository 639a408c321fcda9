import { Inject, Injectable } from '@nestjs/common';
import {
  newEventId,
  decideClaim,
  decideResolution,
  isRefusal,
  REVIEW_CLAIMED,
  REVIEW_RESOLVED,
  reviewState,
  type ReviewClaimed,
  type ReviewRefusal,
  type ReviewResolved,
  type TransactionLabelled,
} from '@verdict/domain';
import type { VerdictConfig } from '@verdict/config';
import { WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '@verdict/event-store';
import { DecisionLocator } from '../decisions/decision-locator';
import { EVENT_STORE, VERDICT_CONFIG } from '../infrastructure/tokens';
import { labelEvent, merchantOf } from '../labels/label-recorder';

export type ReviewAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: ReviewRefusal | { readonly refused: 'not-found' } };

/** Appends racing on one decision stream are re-read and re-decided this many times. */
const ATTEMPTS = 8;

export class ReviewContentionError extends Error {
  constructor(readonly decisionId: string) {
    super(`The review of decision ${decisionId} kept racing with other appends to its stream`);
    this.name = 'ReviewContentionError';
  }
}

/**
 * Claims and resolutions of reviews. Each is decided against the decision's stream as read (the authority, not the
 * read model) and appended with that stream revision expected, so two reviewers can never both hold a claim or both
 * resolve: the loser re-reads and is refused. A resolution and its label (source `review`) are one append.
 */
@Injectable()
export class ReviewDesk {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    private readonly locator: DecisionLocator,
  ) {}

  claim(decisionId: string, reviewer: string, ttlSeconds?: number): Promise<ReviewAnswer<ReviewClaimed>> {
    const ttlMs = (ttlSeconds ?? this.config.reviews.claimSeconds) * 1000;
    return this.decide(decisionId, (state, now) => {
      const claim = decideClaim(state, reviewer, now, ttlMs);
      return isRefusal(claim) ? claim : { value: claim, events: [{ type: REVIEW_CLAIMED, data: claim }] };
    });
  }

  resolve(decisionId: string, reviewer: string, resolution: 'fraud' | 'legitimate', note: string | undefined): Promise<ReviewAnswer<{ resolved: ReviewResolved; label: TransactionLabelled }>> {
    return this.decide(decisionId, (state, now, stream) => {
      const resolved = decideResolution(state, reviewer, resolution, note, now);
      if (isRefusal(resolved)) return resolved;
      const label: TransactionLabelled = {
        schemaVersion: 2,
        labelId: resolved.labelId,
        transactionId: resolved.transactionId,
        decisionId: resolved.decisionId,
        merchantId: merchantOf(stream[0] as RecordedEvent),
        label: resolution,
        source: 'review',
        reportedAt: resolved.resolvedAt,
        ...(note === undefined ? {} : { note }),
        recordedBy: `review:${reviewer}`,
      };
      return { value: { resolved, label }, events: [{ type: REVIEW_RESOLVED, data: resolved }, { type: 'label', data: label }] };
    });
  }

  private async decide<T>(
    decisionId: string,
    decide: (state: ReturnType<typeof reviewState>, now: Date, stream: readonly RecordedEvent[]) => ReviewRefusal | { value: T; events: { type: string; data: object }[] },
  ): Promise<ReviewAnswer<T>> {
    const located = await this.locator.find(decisionId);
    if (!located) return { ok: false, refusal: { refused: 'not-found' } };
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const stream = await this.store.readStream(located.streamId);
      const now = new Date();
      const decided = decide(reviewState(stream, now), now, stream);
      if ('refused' in decided) return { ok: false, refusal: decided };
      const events = decided.events.map((e) =>
        e.type === 'label'
          ? labelEvent(e.data as TransactionLabelled)
          : // A fresh id: a deterministic one could make EventStoreDB take another reviewer's identical-looking append
            // at the same revision for an idempotent repeat of this one.
            { id: newEventId(), type: e.type, data: { ...e.data }, metadata: { schemaVersion: 1 } },
      );
      try {
        await this.store.appendToStream(located.streamId, events, { expectedRevision: stream[stream.length - 1].revision });
        return { ok: true, value: decided.value };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new ReviewContentionError(decisionId);
  }
}
