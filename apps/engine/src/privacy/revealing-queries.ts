import type { DataSource } from 'typeorm';
import {
  DecisionQueries,
  DecisionRangeQueries,
  ReviewQueueQueries,
  type CardNeighbours,
  type DecisionListFilter,
  type DecisionPositionRange,
  type DecisionSummaryPage,
  type ReviewListQuery,
  type ReviewPage,
} from '@verdict/read-models';
import type { PersonalData } from './personal-data';

/*
 * The read models hold what the log holds: pseudonyms in place of personal values. These subclasses are the only
 * read-model queries the engine wires: filters given in the clear are turned into pseudonyms on the way in, and
 * rows show clear values (or ERASED) on the way out. Every other method is the plain query's.
 */

const PERSONAL_COLUMNS = ['cardId', 'customerId'] as const;

export class RevealingDecisionQueries extends DecisionQueries {
  constructor(dataSource: DataSource, private readonly personal: PersonalData) {
    super(dataSource);
  }

  override async list(filter: DecisionListFilter): Promise<DecisionSummaryPage> {
    const page = await super.list(this.personal.listFilter(filter));
    return { ...page, items: await this.personal.revealRows(page.items, PERSONAL_COLUMNS) };
  }
}

export class RevealingDecisionRanges extends DecisionRangeQueries {
  constructor(dataSource: DataSource, private readonly personal: PersonalData) {
    super(dataSource);
  }

  override positionRange(filter: DecisionListFilter, within?: Parameters<DecisionRangeQueries['positionRange']>[1]): Promise<DecisionPositionRange> {
    return super.positionRange(this.personal.listFilter(filter), within);
  }

  /** `cardId` in the clear (as a revealed decision shows it). */
  override async cardNeighbours(cardId: string, position: bigint, count: number): Promise<CardNeighbours> {
    const found = await super.cardNeighbours(this.personal.filterValue('cardId', cardId), position, count);
    return { before: await this.personal.revealRows(found.before, PERSONAL_COLUMNS), after: await this.personal.revealRows(found.after, PERSONAL_COLUMNS) };
  }
}

export class RevealingReviewQueue extends ReviewQueueQueries {
  constructor(dataSource: DataSource, private readonly personal: PersonalData) {
    super(dataSource);
  }

  override async list(q: ReviewListQuery): Promise<ReviewPage> {
    const page = await super.list(this.personal.listFilter(q));
    const decisions = await this.personal.revealRows(page.items.map((i) => i.decision), PERSONAL_COLUMNS);
    return { ...page, items: page.items.map((item, i) => ({ ...item, decision: decisions[i] as (typeof item)['decision'] })) };
  }
}
