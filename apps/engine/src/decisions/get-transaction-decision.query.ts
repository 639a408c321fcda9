import { Query } from '@nestjs/cqrs';
import type { DecisionAuditRecord } from './decision-audit-record';

/** GET /v1/transactions/{transactionId}/decision: the audit record, or null when none was recorded. */
export class GetTransactionDecisionQuery extends Query<DecisionAuditRecord | null> {
  constructor(readonly transactionId: string) {
    super();
  }
}
