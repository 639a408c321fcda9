import { Query } from '@nestjs/cqrs';
import type { DecisionAuditRecord } from './decision-audit-record';

/** GET /v1/decisions/{decisionId}: the audit record, or null when the id is unknown. */
export class GetDecisionQuery extends Query<DecisionAuditRecord | null> {
  constructor(readonly decisionId: string) {
    super();
  }
}
