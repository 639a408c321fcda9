import type { DataSource } from 'typeorm';
import { DecisionRecord } from '../entities/decision-record.entity';
import { ReviewRecord } from '../entities/review-record.entity';
import { runExclusive } from '../exclusive-access';
import { InvalidCursorError } from '../read-model.errors';
import { bigintParam, dialectOf, timestampParam, timestampValue } from '../sql-dialect';
import { MAX_STORED_POSITION } from './decision-cursor';
import { selectDecisionSummaries, whereDecisionMatches, type DecisionListFilter } from './decision-queries';
import { toDecisionSummary, type DecisionSummary, type DecisionSummaryRow } from './decision-summary';

export const REVIEW_STATUSES = ['open', 'claimed', 'resolved'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** `score`: riskiest first; `age`: oldest first. */
export const REVIEW_ORDERS = ['score', 'age'] as const;
export type ReviewOrder = (typeof REVIEW_ORDERS)[number];

export interface ReviewListQuery extends Omit<DecisionListFilter, 'cursor' | 'limit' | 'outcome'> {
  readonly status: ReviewStatus;
  readonly order: ReviewOrder;
  readonly limit: number;
  readonly cursor?: string;
  /** The instant claims are judged at (an expired claim is open again). */
  readonly now: Date;
}

export interface ReviewItem {
  readonly decision: DecisionSummary;
  readonly status: ReviewStatus;
  readonly claim: { readonly reviewer: string; readonly claimedAt: string; readonly expiresAt: string } | null;
  readonly resolution: { readonly resolution: string; readonly reviewer: string; readonly resolvedAt: string; readonly note: string | null } | null;
}

export interface ReviewPage {
  readonly items: ReviewItem[];
  readonly nextCursor: string | null;
}

/** The cursor for "after this item": its score (for order=score) and position, as opaque base64url JSON. */
export const reviewCursorOf = (item: ReviewItem): string => encodeCursor(item.decision.score, item.decision.position);

const encodeCursor = (score: number, position: string): string => Buffer.from(JSON.stringify([score, position]), 'utf8').toString('base64url');

function decodeCursor(cursor: string): { score: number; position: bigint } {
  try {
    const [score, position] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof score === 'number' && Number.isFinite(score) && typeof position === 'string' && /^[1-9]\d{0,18}$/.test(position) && BigInt(position) <= MAX_STORED_POSITION && encodeCursor(score, position) === cursor) {
      return { score, position: BigInt(position) };
    }
  } catch {
    // falls through to the error
  }
  throw new InvalidCursorError(cursor);
}

/** The review queue: decisions sent to review, by status, riskiest or oldest first, with the decision list's filters. */
export class ReviewQueueQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(q: ReviewListQuery): Promise<ReviewPage> {
    const dialect = dialectOf(this.dataSource);
    const now = timestampParam(dialect, q.now);
    const query = selectDecisionSummaries(this.dataSource.createQueryBuilder().from(ReviewRecord, 'r').innerJoin(DecisionRecord, 'd', 'd.decisionId = r.decisionId'))
      .addSelect('r.claimedBy', 'claimedBy')
      .addSelect('r.claimedAt', 'claimedAt')
      .addSelect('r.claimExpiresAt', 'claimExpiresAt')
      .addSelect('r.resolution', 'resolution')
      .addSelect('r.resolvedBy', 'resolvedBy')
      .addSelect('r.resolvedAt', 'resolvedAt')
      .addSelect('r.note', 'note');
    whereDecisionMatches(query, q, dialect);
    if (q.status === 'resolved') query.andWhere('r.resolvedAt IS NOT NULL');
    else if (q.status === 'claimed') query.andWhere('r.resolvedAt IS NULL AND r.claimExpiresAt > :now', { now });
    else query.andWhere('r.resolvedAt IS NULL AND (r.claimExpiresAt IS NULL OR r.claimExpiresAt <= :now)', { now });
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.order === 'score') {
      if (after) query.andWhere('(r.score < :score OR (r.score = :score AND r.position > :position))', { score: after.score, position: bigintParam(dialect, after.position) });
      query.orderBy('r.score', 'DESC').addOrderBy('r.position', 'ASC');
    } else {
      if (after) query.andWhere('r.position > :position', { position: bigintParam(dialect, after.position) });
      query.orderBy('r.position', 'ASC');
    }
    query.limit(q.limit + 1);
    const rows = await runExclusive(this.dataSource, () => query.getRawMany<DecisionSummaryRow & Record<string, unknown>>());
    const items = rows.slice(0, q.limit).map((row): ReviewItem => {
      const decision = toDecisionSummary(row);
      const resolvedAt = row.resolvedAt == null ? null : timestampValue(row.resolvedAt);
      const expiresAt = row.claimExpiresAt == null ? null : timestampValue(row.claimExpiresAt);
      const holds = resolvedAt === null && expiresAt !== null && expiresAt.getTime() > q.now.getTime();
      return {
        decision,
        status: resolvedAt !== null ? 'resolved' : holds ? 'claimed' : 'open',
        claim: holds ? { reviewer: String(row.claimedBy), claimedAt: timestampValue(row.claimedAt).toISOString(), expiresAt: expiresAt!.toISOString() } : null,
        resolution:
          resolvedAt === null ? null : { resolution: String(row.resolution), reviewer: String(row.resolvedBy), resolvedAt: resolvedAt.toISOString(), note: row.note == null ? null : String(row.note) },
      };
    });
    const last = items.at(-1);
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.decision.score, last.decision.position) : null };
  }
}
