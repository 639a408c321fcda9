import type { Outcome } from '@verdict/domain/decision-made.event';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DecisionRecord } from '../entities/decision-record.entity';
import { runExclusive } from '../exclusive-access';
import { InvalidDecisionFilterError } from '../read-model.errors';
import { bigintParam, dialectOf, timestampParam, type ReadModelDialect } from '../sql-dialect';
import { decodeDecisionCursor, encodeDecisionCursor } from './decision-cursor';
import { toDecisionSummary, type DecisionSummary, type DecisionSummaryRow } from './decision-summary';

export interface DecisionListFilter {
  /** One value, or any of several (a personal value's pseudonym and, for decisions stored before v4, itself). */
  readonly cardId?: string | readonly string[];
  readonly customerId?: string | readonly string[];
  readonly merchantId?: string;
  readonly outcome?: Outcome;
  /** The model that decided (name), and optionally which version of it. */
  readonly model?: string;
  readonly modelVersion?: string;
  /** The deployment arm that decided. */
  readonly arm?: 'champion' | 'challenger';
  /** decided_at >= from (inclusive). */
  readonly from?: Date;
  /** decided_at < to (exclusive). */
  readonly to?: Date;
  /** 1..500, default 50. */
  readonly limit?: number;
  /** nextCursor of the previous page. */
  readonly cursor?: string;
}

/** One page of decision_history, newest first, positions exact (decimal strings). */
export interface DecisionSummaryPage {
  readonly items: DecisionSummary[];
  /** null on the last page. */
  readonly nextCursor: string | null;
}

export interface DecisionLocation {
  readonly decisionId: string;
  readonly transactionId: string;
  readonly streamId: string;
  readonly position: bigint;
}

export const DEFAULT_DECISION_PAGE_SIZE = 50;
export const MAX_DECISION_PAGE_SIZE = 500;
const OUTCOMES: readonly string[] = ['approve', 'review', 'decline'];

const SUMMARY_COLUMNS: ReadonlyArray<[expression: string, alias: keyof DecisionSummary]> = [
  ['d.decisionId', 'decisionId'],
  ['d.transactionId', 'transactionId'],
  ['d.streamId', 'streamId'],
  // Text: better-sqlite3 returns integers as JS numbers, exact only up to 2^53.
  ['CAST(d.position AS TEXT)', 'position'],
  ['d.cardId', 'cardId'],
  ['d.customerId', 'customerId'],
  ['d.merchantId', 'merchantId'],
  ['d.amount', 'amount'],
  ['d.currency', 'currency'],
  ['d.channel', 'channel'],
  ['d.country', 'country'],
  ['d.outcome', 'outcome'],
  ['d.score', 'score'],
  ['d.modelName', 'modelName'],
  ['d.modelVersion', 'modelVersion'],
  ['d.modelSha256', 'modelSha256'],
  ['d.policyVersion', 'policyVersion'],
  ['d.arm', 'arm'],
  ['d.deploymentRevision', 'deploymentRevision'],
  ['d.occurredAt', 'occurredAt'],
  ['d.decidedAt', 'decidedAt'],
  ['d.recordedAt', 'recordedAt'],
];

/** Selects the DecisionSummary columns of decision_history aliased `d`. */
export function selectDecisionSummaries<Q extends SelectQueryBuilder<ObjectLiteral>>(query: Q): Q {
  for (const [expression, alias] of SUMMARY_COLUMNS) query.addSelect(expression, alias);
  return query;
}

/** The list filters (all but limit and cursor) as conditions on decision_history aliased `d`; shared by list and export. */
export function whereDecisionMatches(query: SelectQueryBuilder<ObjectLiteral>, filter: DecisionListFilter, dialect: ReadModelDialect): void {
  if (filter.cardId !== undefined) query.andWhere('d.cardId IN (:...cardIds)', { cardIds: [filter.cardId].flat() });
  if (filter.customerId !== undefined) query.andWhere('d.customerId IN (:...customerIds)', { customerIds: [filter.customerId].flat() });
  if (filter.merchantId !== undefined) query.andWhere('d.merchantId = :merchantId', { merchantId: filter.merchantId });
  if (filter.outcome !== undefined) query.andWhere('d.outcome = :outcome', { outcome: filter.outcome });
  if (filter.model !== undefined) query.andWhere('d.modelName = :model', { model: filter.model });
  if (filter.modelVersion !== undefined) query.andWhere('d.modelVersion = :modelVersion', { modelVersion: filter.modelVersion });
  if (filter.arm !== undefined) query.andWhere('d.arm = :arm', { arm: filter.arm });
  if (filter.from) query.andWhere('d.decidedAt >= :from', { from: timestampParam(dialect, filter.from) });
  if (filter.to) query.andWhere('d.decidedAt < :to', { to: timestampParam(dialect, filter.to) });
}

/** Reads of decision_history. Newest first means highest global position first. */
export class DecisionQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One page, newest first. The cursor is a position bound, so decisions recorded while a client pages (always at
   * higher positions) never shift or repeat items on later pages.
   * @throws InvalidCursorError, InvalidDecisionFilterError
   */
  async list(filter: DecisionListFilter = {}): Promise<DecisionSummaryPage> {
    const limit = filter.limit ?? DEFAULT_DECISION_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DECISION_PAGE_SIZE) {
      throw new InvalidDecisionFilterError('limit', `must be an integer in [1, ${MAX_DECISION_PAGE_SIZE}], got ${String(limit)}`);
    }
    if (filter.modelVersion !== undefined && filter.model === undefined) {
      throw new InvalidDecisionFilterError('modelVersion', 'needs model: a version is one of a model\'s versions');
    }
    if (filter.arm !== undefined && filter.arm !== 'champion' && filter.arm !== 'challenger') {
      throw new InvalidDecisionFilterError('arm', 'must be champion or challenger');
    }
    if (filter.outcome !== undefined && !OUTCOMES.includes(filter.outcome)) {
      throw new InvalidDecisionFilterError('outcome', `must be one of ${OUTCOMES.join(', ')}`);
    }
    for (const field of ['from', 'to'] as const) {
      const value = filter[field];
      if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) {
        throw new InvalidDecisionFilterError(field, 'must be a valid Date');
      }
    }
    const before = filter.cursor === undefined ? undefined : decodeDecisionCursor(filter.cursor);
    const dialect = dialectOf(this.dataSource);

    const query = selectDecisionSummaries(this.dataSource.createQueryBuilder().from(DecisionRecord, 'd'));
    whereDecisionMatches(query, filter, dialect);
    if (before !== undefined) query.andWhere('d.position < :before', { before: bigintParam(dialect, before) });
    query.orderBy('d.position', 'DESC').limit(limit + 1);

    const rows = await runExclusive(this.dataSource, () => query.getRawMany<DecisionSummaryRow>());
    const items = rows.slice(0, limit).map(toDecisionSummary);
    const nextCursor = rows.length > limit ? encodeDecisionCursor(BigInt(items[items.length - 1].position)) : null;
    return { items, nextCursor };
  }

  /** Where the decision's event lives in the event store, or null if the projection has not seen it. */
  async findLocation(decisionId: string): Promise<DecisionLocation | null> {
    const row = await runExclusive(this.dataSource, () =>
      this.dataSource
        .createQueryBuilder()
        .from(DecisionRecord, 'd')
        .select('d.decisionId', 'decisionId')
        .addSelect('d.transactionId', 'transactionId')
        .addSelect('d.streamId', 'streamId')
        .addSelect('CAST(d.position AS TEXT)', 'position')
        .where('d.decisionId = :decisionId', { decisionId })
        .getRawOne<{ decisionId: string; transactionId: string; streamId: string; position: string }>(),
    );
    if (!row) return null;
    return { decisionId: row.decisionId, transactionId: row.transactionId, streamId: row.streamId, position: BigInt(row.position) };
  }
}
