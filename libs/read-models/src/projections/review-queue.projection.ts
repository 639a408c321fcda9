import { DECISION_MADE, upcastDecisionMade } from '@verdict/domain/decision-made.event';
import { REVIEW_CLAIMED, REVIEW_RESOLVED, type ReviewClaimed, type ReviewResolved } from '@verdict/domain/reviews/review-events';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { ReviewRecord } from '../entities/review-record.entity';
import { bigintParam, dialectOf, emptyTable, param, tableOf, timestampParam, type ReadModelDialect } from '../sql-dialect';
import type { PreparingProjection } from './projection';

/** What each event does to the queue, as statement parameters: a decision queued, a claim, a resolution. */
type ReviewOp = readonly ['queue' | 'claim' | 'resolve', unknown[]];

/**
 * review_queue: a row for every decision with outcome `review`, then its claims and its resolution. Idempotent: the
 * insert ignores a decision already queued, a claim applies only while unresolved (a repeat rewrites the same
 * values), and a resolution is final.
 */
export class ReviewQueueProjection implements PreparingProjection<ReviewOp[]> {
  readonly name = 'review-queue';
  readonly version = 1;
  readonly canHandle = [DECISION_MADE, REVIEW_CLAIMED, REVIEW_RESOLVED] as const;

  handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    return this.applyPrepared(this.prepare(events, dialectOf(manager)), manager);
  }

  prepare(events: readonly RecordedEvent[], dialect: ReadModelDialect): ReviewOp[] {
    const ops: ReviewOp[] = [];
    for (const event of events) {
      if (event.type === DECISION_MADE) {
        const decision = upcastDecisionMade(event.data);
        if (decision.outcome !== 'review') continue;
        ops.push(['queue', [decision.decisionId, decision.transactionId, bigintParam(dialect, event.position), decision.score, timestampParam(dialect, new Date(decision.decidedAt))]]);
      } else if (event.type === REVIEW_CLAIMED) {
        const c = event.data as unknown as ReviewClaimed;
        ops.push(['claim', [c.reviewer, timestampParam(dialect, new Date(c.claimedAt)), timestampParam(dialect, new Date(c.expiresAt)), c.decisionId]]);
      } else {
        const r = event.data as unknown as ReviewResolved;
        ops.push(['resolve', [r.resolution, r.reviewer, timestampParam(dialect, new Date(r.resolvedAt)), r.note ?? null, r.decisionId]]);
      }
    }
    return ops;
  }

  async applyPrepared(ops: ReviewOp[], manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    const table = tableOf(manager, ReviewRecord);
    const p = (n: number) => param(dialect, n);
    const queued: unknown[][] = [];
    const flush = async (): Promise<void> => {
      if (queued.length === 0) return;
      let n = 0;
      const values = queued.map(() => `(${[1, 2, 3, 4, 5].map(() => p(++n)).join(', ')})`).join(', ');
      await manager.query(
        `INSERT INTO ${table} ("decision_id", "transaction_id", "position", "score", "decided_at") VALUES ${values} ON CONFLICT ("decision_id") DO NOTHING`,
        queued.flat(),
      );
      queued.length = 0;
    };
    for (const [kind, params] of ops) {
      if (kind === 'queue') {
        queued.push(params);
        if (queued.length >= 200) await flush();
        continue;
      }
      // A claim or resolution follows its decision in the log: queue the pending inserts first.
      await flush();
      if (kind === 'claim') {
        await manager.query(
          `UPDATE ${table} SET "claimed_by" = ${p(1)}, "claimed_at" = ${p(2)}, "claim_expires_at" = ${p(3)} WHERE "decision_id" = ${p(4)} AND "resolved_at" IS NULL`,
          params,
        );
      } else {
        await manager.query(
          `UPDATE ${table} SET "resolution" = ${p(1)}, "resolved_by" = ${p(2)}, "resolved_at" = ${p(3)}, "note" = ${p(4)} WHERE "decision_id" = ${p(5)} AND "resolved_at" IS NULL`,
          params,
        );
      }
    }
    await flush();
  }

  async truncate(manager: EntityManager): Promise<void> {
    await emptyTable(manager, ReviewRecord);
  }
}
