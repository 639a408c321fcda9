import { Query } from '@nestjs/cqrs';
import type { DecisionAuditRecord } from './decision-audit-record';
import type { DecisionSummary } from '@verdict/read-models';
import type { DecisionListFilter } from './decision-queries.port';

export class GetDecisionQuery extends Query<DecisionAuditRecord | null> {
  constructor(readonly decisionId: string) {
    super();
  }
}

export class GetTransactionDecisionQuery extends Query<DecisionAuditRecord | null> {
  constructor(readonly transactionId: string) {
    super();
  }
}

/** A list item as the API shows it: `position` is a number, as in every other response. */
export type DecisionListItem = Omit<DecisionSummary, 'position'> & { readonly position: number };

export interface DecisionPage {
  readonly items: readonly DecisionListItem[];
  readonly nextCursor: string | null;
}

export class ListDecisionsQuery extends Query<DecisionPage> {
  constructor(readonly filter: DecisionListFilter) {
    super();
  }
}
