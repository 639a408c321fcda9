import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { DECISION_MADE } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { storedAuditRecord } from '../decisions/decision-audit-record';
import { PersonalData } from '../privacy/personal-data';
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

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(LOGGER) log: Logger,
    metrics: DecisionMetrics,
    private readonly personal: PersonalData,
  ) {
    const feed = (this.feed = new EventFeed(store, log, {
      name: 'decisionMade',
      eventTypes: [DECISION_MADE],
      toItem: (event) => fromRecord(storedAuditRecord(event), event.position),
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

  /** Items are matched as the log holds them (a card id filter as its pseudonym) and delivered in the clear. */
  async subscribe(filter: DecisionFeedFilter): Promise<AsyncIterableIterator<DecisionNode>> {
    const cardId = filter.cardId === undefined ? {} : { cardId: this.personal.filterValue('cardId', filter.cardId) };
    return revealed(await this.feed.subscribe(matcher({ ...filter, ...cardId })), this.personal);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.feed.close();
  }
}

/**
 * The subscriber's iterator with each node's personal fields in the clear (or ERASED). return() and throw() go
 * straight to the feed's iterator, so an idle subscription closes at once (an async generator would queue them
 * behind the pending next()).
 */
function revealed(nodes: AsyncIterableIterator<DecisionNode>, personal: PersonalData): AsyncIterableIterator<DecisionNode> {
  const done = (value?: unknown): Promise<IteratorResult<DecisionNode>> => Promise.resolve({ done: true, value });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const r = await nodes.next();
      if (r.done) return r;
      const record = r.value.record;
      return { done: false, value: record ? fromRecord(await personal.revealDecision(record), BigInt(r.value.position)) : r.value };
    },
    return: (value?: unknown) => (nodes.return ? nodes.return(value) : done(value)),
    throw: (error?: unknown) => (nodes.throw ? nodes.throw(error) : Promise.reject(error)),
  };
}
