import { DECISION_MADE, upcastDecisionMade } from '@verdict/domain/decision-made.event';
import { REVIEW_CLAIMED, REVIEW_RESOLVED, type ReviewClaimed, type ReviewResolved } from '@verdict/domain/reviews/review-events';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { ReviewRecord } from '../entities/review-record.entity';
import { bigintParam, dialectOf, param, tableOf, timestampParam, type ReadModelDialect } from '../sql-dialect';
import type { Projection } from './projection';

/**
 * review_queue: a row for every decision with outcome `review`, then its claims and its resolution. Idempotent: the
 * insert ignores a decision already queued, a claim applies only while unresolved (a repeat rewrites the same
 * values), and a resolution is final.
 */
export class ReviewQueueProjection implements Projection {
  readonly name = 'review-queue';
  readonly version = 1;
  readonly canHandle = [DECISION_MADE, REVIEW_CLAIMED, REVIEW_RESOLVED] as const;

  async handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    const table = tableOf(manager, ReviewRecord);
    const queued: unknown[][] = [];
    const flush = async (): Promise<void> => {
      if (queued.length === 0) return;
      let n = 0;
      const values = queued.map(() => `(${[1, 2, 3, 4, 5].map(() => param(dialect, ++n)).join(', ')})`).join(', ');
      await manager.query(
        `INSERT INTO ${table} ("decision_id", "transaction_id", "position", "score", "decided_at") VALUES ${values} ON CONFLICT ("decision_id") DO NOTHING`,
        queued.flat(),
      );
      queued.length = 0;
    };
    for (const event of events) {
      if (event.type === DECISION_MADE) {
        const decision = upcastDecisionMade(event.data);
        if (decision.outcome !== 'review') continue;
        queued.push([decision.decisionId, decision.transactionId, bigintParam(dialect, event.position), decision.score, timestampParam(dialect, new Date(decision.decidedAt))]);
        if (queued.length >= 200) await flush();
        continue;
      }
      // A claim or resolution follows its decision in the log: queue the pending inserts first.
      await flush();
      if (event.type === REVIEW_CLAIMED) await this.claim(manager, table, dialect, event.data as unknown as ReviewClaimed);
      else await this.resolve(manager, table, dialect, event.data as unknown as ReviewResolved);
    }
    await flush();
  }

  async truncate(manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM ${tableOf(manager, ReviewRecord)}`);
  }

  private async claim(manager: EntityManager, table: string, dialect: ReadModelDialect, c: ReviewClaimed): Promise<void> {
    const p = (n: number) => param(dialect, n);
    await manager.query(
      `UPDATE ${table} SET "claimed_by" = ${p(1)}, "claimed_at" = ${p(2)}, "claim_expires_at" = ${p(3)} WHERE "decision_id" = ${p(4)} AND "resolved_at" IS NULL`,
      [c.reviewer, timestampParam(dialect, new Date(c.claimedAt)), timestampParam(dialect, new Date(c.expiresAt)), c.decisionId],
    );
  }

  private async resolve(manager: EntityManager, table: string, dialect: ReadModelDialect, r: ReviewResolved): Promise<void> {
    const p = (n: number) => param(dialect, n);
    await manager.query(
      `UPDATE ${table} SET "resolution" = ${p(1)}, "resolved_by" = ${p(2)}, "resolved_at" = ${p(3)}, "note" = ${p(4)} WHERE "decision_id" = ${p(5)} AND "resolved_at" IS NULL`,
      [r.resolution, r.reviewer, timestampParam(dialect, new Date(r.resolvedAt)), r.note ?? null, r.decisionId],
    );
  }
}
