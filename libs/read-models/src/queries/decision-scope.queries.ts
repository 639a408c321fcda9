import type { DataSource } from 'typeorm';
import { DecisionRecord } from '../entities/decision-record.entity';
import { runExclusive } from '../exclusive-access';
import { bigintParam, dialectOf, timestampParam } from '../sql-dialect';

/** A selection of decisions by time, position and a few exact fields (a replay's or an export's). */
export interface DecisionScope {
  readonly from?: Date;
  /** Exclusive, as in the decision list. */
  readonly to?: Date;
  readonly fromPosition?: bigint;
  readonly toPosition?: bigint;
  readonly modelSha256?: string;
  readonly outcome?: string;
  readonly cardId?: string;
}

export interface DecisionScopeExtent {
  /** Decisions the read model holds in the scope. */
  readonly count: number;
  /** Lowest position among them; null when none. */
  readonly firstPosition: bigint | null;
}

/**
 * Sizes a scope from the read model, so that a job which then reads the event store itself (replay, export) can
 * start where the scope starts and report progress. Only a hint: the log is the truth, and a read model that lags
 * does not hold the latest decisions.
 */
export class DecisionScopeQueries {
  constructor(private readonly dataSource: DataSource) {}

  async extent(scope: DecisionScope): Promise<DecisionScopeExtent> {
    const dialect = dialectOf(this.dataSource);
    const query = this.dataSource.createQueryBuilder().from(DecisionRecord, 'd').select('COUNT(*)', 'count').addSelect('MIN(d.position)', 'first');
    if (scope.from) query.andWhere('d.decidedAt >= :from', { from: timestampParam(dialect, scope.from) });
    if (scope.to) query.andWhere('d.decidedAt < :to', { to: timestampParam(dialect, scope.to) });
    if (scope.fromPosition !== undefined) query.andWhere('d.position >= :fromPosition', { fromPosition: bigintParam(dialect, scope.fromPosition) });
    if (scope.toPosition !== undefined) query.andWhere('d.position <= :toPosition', { toPosition: bigintParam(dialect, scope.toPosition) });
    if (scope.modelSha256 !== undefined) query.andWhere('d.modelSha256 = :sha', { sha: scope.modelSha256 });
    if (scope.outcome !== undefined) query.andWhere('d.outcome = :outcome', { outcome: scope.outcome });
    if (scope.cardId !== undefined) query.andWhere('d.cardId = :cardId', { cardId: scope.cardId });
    const row = await runExclusive(this.dataSource, () => query.getRawOne<{ count: string | number; first: string | number | null }>());
    return { count: Number(row?.count ?? 0), firstPosition: row?.first === null || row?.first === undefined ? null : BigInt(row.first) };
  }
}
