import type { DataSource } from 'typeorm';
import { DecisionRecord } from '../entities/decision-record.entity';
import { runExclusive } from '../exclusive-access';
import { readCheckpoint } from '../projections/checkpoint-store';
import { ReadModelProjections } from '../projections/read-model-projections';
import { bigintParam, dialectOf } from '../sql-dialect';
import { selectDecisionSummaries, whereDecisionMatches, type DecisionListFilter } from './decision-queries';
import { toDecisionSummary, type DecisionSummary, type DecisionSummaryRow } from './decision-summary';

/**
 * Where the decisions a filter selects lie in the log, as far as the read model knows: only positions up to
 * `projectedThrough` (its checkpoint) are answered, so a reader of the event store must still read everything after
 * it itself. `first`/`last` are null when no projected decision matches.
 */
export interface DecisionPositionRange {
  readonly projectedThrough: bigint;
  readonly first: bigint | null;
  readonly last: bigint | null;
  /** Projected decisions that match: a lower bound of what the log holds. */
  readonly count: number;
}

/** Bounds beyond the list filters: inclusive positions, and the exact model bytes. */
export interface PositionScope {
  readonly fromPosition?: bigint;
  readonly toPosition?: bigint;
  readonly modelSha256?: string;
}

/** A card's decisions on either side of one of them, in log order (oldest first on both sides). */
export interface CardNeighbours {
  readonly before: DecisionSummary[];
  readonly after: DecisionSummary[];
}

/** Position reads of decision_history for auditors (export ranges, a decision's neighbours on its card). */
export class DecisionRangeQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The read model's checkpoint: every decision at or below it is in decision_history. */
  projectedThrough(): Promise<bigint> {
    return runExclusive(this.dataSource, () => readCheckpoint(this.dataSource.manager, ReadModelProjections.NAME));
  }

  /**
   * Filters as in DecisionQueries.list (limit and cursor ignored), and optionally a position range and the model's
   * bytes (a replay's selection).
   */
  async positionRange(filter: DecisionListFilter, within: PositionScope = {}): Promise<DecisionPositionRange> {
    // Checkpoint first: the rows at or below it are then all present, whatever the projection does meanwhile.
    const projectedThrough = await this.projectedThrough();
    const dialect = dialectOf(this.dataSource);
    const query = this.dataSource
      .createQueryBuilder()
      .from(DecisionRecord, 'd')
      .select('COUNT(*)', 'count')
      .addSelect('CAST(MIN(d.position) AS TEXT)', 'first')
      .addSelect('CAST(MAX(d.position) AS TEXT)', 'last')
      .where('d.position <= :through', { through: bigintParam(dialect, projectedThrough) });
    whereDecisionMatches(query, filter, dialect);
    if (within.fromPosition !== undefined) query.andWhere('d.position >= :fromPosition', { fromPosition: bigintParam(dialect, within.fromPosition) });
    if (within.toPosition !== undefined) query.andWhere('d.position <= :toPosition', { toPosition: bigintParam(dialect, within.toPosition) });
    if (within.modelSha256 !== undefined) query.andWhere('d.modelSha256 = :modelSha256', { modelSha256: within.modelSha256 });
    const row = await runExclusive(this.dataSource, () => query.getRawOne<{ count: string | number; first: string | null; last: string | null }>());
    return {
      projectedThrough,
      count: Number(row?.count ?? 0),
      first: row?.first == null ? null : BigInt(row.first),
      last: row?.last == null ? null : BigInt(row.last),
    };
  }

  /** Up to `count` decisions of the card just before `position` and just after it (served by ix_decision_history_card). */
  async cardNeighbours(cardId: string, position: bigint, count: number): Promise<CardNeighbours> {
    const dialect = dialectOf(this.dataSource);
    const side = (op: '<' | '>', order: 'ASC' | 'DESC') =>
      runExclusive(this.dataSource, () =>
        selectDecisionSummaries(this.dataSource.createQueryBuilder().from(DecisionRecord, 'd'))
          .where('d.cardId = :cardId', { cardId })
          .andWhere(`d.position ${op} :position`, { position: bigintParam(dialect, position) })
          .orderBy('d.position', order)
          .limit(count)
          .getRawMany<DecisionSummaryRow>(),
      );
    const before = (await side('<', 'DESC')).map(toDecisionSummary).reverse();
    const after = (await side('>', 'ASC')).map(toDecisionSummary);
    return { before, after };
  }
}
