import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Histogram } from 'prom-client';
import type { EventStore } from '@verdict/event-store';
import { EVENT_STORE } from '../infrastructure/tokens';
import { DecisionMetrics } from './decision-metrics';

/**
 * The event store's commits through this instance, as they happen: how long the store took to make each one durable
 * (the store's share of an append: a slow fsync shows here first) and how many events each carried (how well the
 * group commit groups). On average, verdict_append_seconds minus this is roughly the wait for an earlier commit.
 */
@Injectable()
export class CommitMetrics implements OnModuleDestroy {
  private readonly stop: () => void;

  constructor(metrics: DecisionMetrics, @Inject(EVENT_STORE) store: EventStore) {
    const seconds = new Histogram({
      name: 'verdict_event_store_commit_seconds',
      help: "One commit of the event store, from handing it over until the store answered it durable (SQLite: the writer thread's transaction and fsync, with the hops to it and back; PostgreSQL: a pooled connection and the transaction's round trips; EventStoreDB: one append call and any read-back)",
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [metrics.registry],
    });
    const events = new Histogram({
      name: 'verdict_event_store_commit_events',
      help: 'Events made durable by one commit of the event store (appends arriving together share one)',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [metrics.registry],
    });
    this.stop = store.onCommitted((commit) => {
      seconds.observe(commit.seconds);
      events.observe(commit.events);
    });
  }

  onModuleDestroy(): void {
    this.stop();
  }
}
