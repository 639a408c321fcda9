import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DECISION_MADE, decisionStreamId } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { DECISION_QUERIES, EVENT_STORE } from '../infrastructure/tokens';
import { PersonalData } from '../privacy/personal-data';
import { DecisionLocator } from './decision-locator';
import { toAuditRecord, type DecisionAuditRecord } from './decision-audit-record';
import { toDecisionPage, type DecisionPage } from './decision-page';
import type { DecisionQueriesPort } from './decision-queries.port';
import { GetDecisionQuery } from './get-decision.query';
import { GetTransactionDecisionQuery } from './get-transaction-decision.query';
import { ListDecisionsQuery } from './list-decisions.query';

async function readDecision(store: EventStore, streamId: string, personal: PersonalData): Promise<DecisionAuditRecord | null> {
  const [first] = await store.readStream(streamId, { maxCount: 1 });
  return first && first.type === DECISION_MADE ? toAuditRecord(first, personal) : null;
}

/** The locator says where the decision lives (read-your-writes); the audit record itself always comes from the event store. */
@QueryHandler(GetDecisionQuery)
export class GetDecisionHandler implements IQueryHandler<GetDecisionQuery> {
  constructor(
    private readonly locator: DecisionLocator,
    private readonly personal: PersonalData,
  ) {}

  async execute(q: GetDecisionQuery): Promise<DecisionAuditRecord | null> {
    const event = await this.locator.find(q.decisionId);
    return event ? toAuditRecord(event, this.personal) : null;
  }
}

/** By transaction id straight from the event store: consistent immediately after the decision was answered. */
@QueryHandler(GetTransactionDecisionQuery)
export class GetTransactionDecisionHandler implements IQueryHandler<GetTransactionDecisionQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly personal: PersonalData,
  ) {}

  execute(q: GetTransactionDecisionQuery): Promise<DecisionAuditRecord | null> {
    return readDecision(this.store, decisionStreamId(q.transactionId), this.personal);
  }
}

@QueryHandler(ListDecisionsQuery)
export class ListDecisionsHandler implements IQueryHandler<ListDecisionsQuery> {
  constructor(@Inject(DECISION_QUERIES) private readonly queries: DecisionQueriesPort) {}

  async execute(q: ListDecisionsQuery): Promise<DecisionPage> {
    return toDecisionPage(await this.queries.list(q.filter));
  }
}
