import { Query } from '@nestjs/cqrs';
import type { DecisionPage } from './decision-page';
import type { DecisionListFilter } from './decision-queries.port';

/** GET /v1/decisions: one page of the decision history, newest first. */
export class ListDecisionsQuery extends Query<DecisionPage> {
  constructor(readonly filter: DecisionListFilter) {
    super();
  }
}
