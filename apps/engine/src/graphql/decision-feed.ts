import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { DECISION_MADE } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { toAuditRecord } from '../decisions/decision-audit-record';
import { EVENT_STORE, LOGGER } from '../infrastructure/tokens';
import { DecisionMetrics } from '../metrics/decision-metrics';
import { fromRecord, type DecisionNode } from './decision-node';
import { EventFeed } from './event-feed';

/** What a decisionMade subscriber asked for; every given condition must hold. */
export interface DecisionFeedFilter {
  readonly outcome?: string;
  readonly cardId?: string;
  readonly merchantId?: string;
  readonly minScore?: number;
}

const matcher =
  (f: DecisionFeedFilter) =>
  (d: DecisionNode): boolean =>
    (f.outcome === undefined || d.outcome === f.outcome) &&
    (f.cardId === undefined || d.cardId === f.cardId) &&
    (f.merchantId === undefined || d.merchantId === f.merchantId) &&
    (f.minScore === undefined || d.score >= f.minScore);

/** Every DecisionMade in the log as it is committed, for decisionMade subscribers (see EventFeed). */
@Injectable()
export class DecisionFeed implements BeforeApplicationShutdown {
  private readonly feed: EventFeed<DecisionNode>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(LOGGER) log: Logger, metrics: DecisionMetrics) {
    const feed = (this.feed = new EventFeed(store, log, {
      name: 'decisionMade',
      eventTypes: [DECISION_MADE],
      toItem: (event) => fromRecord(toAuditRecord(event), event.position),
    }));
    new Gauge({
      name: 'verdict_graphql_decision_subscribers',
      help: 'decisionMade subscriptions this instance is streaming to (counted once the feed reads the log)',
      registers: [metrics.registry],
      collect() {
        this.set(feed.streaming);
      },
    });
  }

  subscribe(filter: DecisionFeedFilter): Promise<AsyncIterableIterator<DecisionNode>> {
    return this.feed.subscribe(matcher(filter));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.feed.close();
  }
}
