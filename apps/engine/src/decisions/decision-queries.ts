import { Query } from '@nestjs/cqrs';
import type { DecisionAuditRecord } from './decision-audit-record';
import type { DecisionListFilter, DecisionPage } from './decision-queries.port';

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

export type { DecisionPage };

export class ListDecisionsQuery extends Query<DecisionPage> {
  constructor(readonly filter: DecisionListFilter) {
    super();
  }
}
