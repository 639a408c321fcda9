import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { ALERT_TYPES, alertOf, isAlertType, type Alert } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { EVENT_STORE, LOGGER } from '../infrastructure/tokens';
import { DecisionMetrics } from '../metrics/decision-metrics';
import { EventFeed } from './event-feed';

/** What an alertRaised subscriber asked for; every given condition must hold. */
export interface AlertFeedFilter {
  readonly type?: string;
  readonly model?: string;
}

/** Every alert event in the log as it is committed (any instance's monitors), for alertRaised subscribers. */
@Injectable()
export class AlertFeed implements BeforeApplicationShutdown {
  private readonly feed: EventFeed<Alert>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(LOGGER) log: Logger, metrics: DecisionMetrics) {
    const feed = (this.feed = new EventFeed(store, log, {
      name: 'alertRaised',
      eventTypes: ALERT_TYPES,
      toItem: (e) => (isAlertType(e.type) ? alertOf({ id: e.id, type: e.type, data: e.data, position: e.position, recordedAt: e.recordedAt }) : null),
    }));
    new Gauge({
      name: 'verdict_graphql_alert_subscribers',
      help: 'alertRaised subscriptions this instance is streaming to (counted once the feed reads the log)',
      registers: [metrics.registry],
      collect() {
        this.set(feed.streaming);
      },
    });
  }

  subscribe(filter: AlertFeedFilter): Promise<AsyncIterableIterator<Alert>> {
    return this.feed.subscribe((a) => (filter.type === undefined || a.type === filter.type) && (filter.model === undefined || a.model === filter.model));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.feed.close();
  }
}
