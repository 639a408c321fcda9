import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { DECISION_MADE } from '@verdict/domain';
import type { AllSubscription, EventStore } from '@verdict/event-store';
import { toAuditRecord } from '../decisions/decision-audit-record';
import { EVENT_STORE, LOGGER } from '../infrastructure/tokens';
import { DecisionMetrics } from '../metrics/decision-metrics';
import { fromRecord, type DecisionNode } from './decision-node';
import { FeedSubscriber } from './feed-subscriber';

/** What a decisionMade subscriber asked for; every given condition must hold. */
export interface DecisionFeedFilter {
  readonly outcome?: string;
  readonly cardId?: string;
  readonly merchantId?: string;
  readonly minScore?: number;
}

/** The feed's event store subscription failed: the subscribers' streams end with this (the cause is logged). */
export class DecisionFeedError extends GraphQLError {
  constructor(cause: unknown) {
    super('The decision stream stopped: the event store could not be read. Subscribe again.', {
      originalError: cause instanceof Error ? cause : undefined,
      extensions: { code: 'event-store-unavailable' },
    });
    this.name = 'DecisionFeedError';
  }
}

export class DecisionFeedClosedError extends GraphQLError {
  constructor() {
    super('The engine is shutting down; subscribe to another instance.', { extensions: { code: 'shutting-down' } });
    this.name = 'DecisionFeedClosedError';
  }
}

const matcher =
  (f: DecisionFeedFilter) =>
  (d: DecisionNode): boolean =>
    (f.outcome === undefined || d.outcome === f.outcome) &&
    (f.cardId === undefined || d.cardId === f.cardId) &&
    (f.merchantId === undefined || d.merchantId === f.merchantId) &&
    (f.minScore === undefined || d.score >= f.minScore);

interface Source {
  readonly subscription: AllSubscription;
  pump?: Promise<void>;
}

/**
 * Every DecisionMade in the log, as it is committed, fanned out to this instance's decisionMade subscribers. One
 * event store subscription serves them all, so every instance streams every decision, whichever instance made it.
 * It is opened, from the head of the log, when the first subscriber arrives and closed when the last one leaves:
 * an engine nobody watches reads nothing back from its log.
 *
 * A store error is not retried here: it is logged and ends every subscriber's stream with DecisionFeedError (a
 * GraphQL error to the client, who can subscribe again). Resuming silently would hide the gap from clients, and a
 * store that stays down would leave them waiting without a word.
 */
@Injectable()
export class DecisionFeed implements BeforeApplicationShutdown {
  private readonly subscribers = new Set<FeedSubscriber>();
  private source: Source | undefined;
  private opening: Promise<void> | undefined;
  private closed = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
    metrics: DecisionMetrics,
  ) {
    const feed = this;
    new Gauge({
      name: 'verdict_graphql_decision_subscribers',
      help: 'decisionMade subscriptions this instance is streaming to (counted once the feed reads the log)',
      registers: [metrics.registry],
      collect() {
        this.set(feed.source ? feed.subscribers.size : 0);
      },
    });
  }

  /** A stream of the decisions committed from now on that pass `filter`; its return() unsubscribes. */
  async subscribe(filter: DecisionFeedFilter): Promise<AsyncIterableIterator<DecisionNode>> {
    if (this.closed) throw new DecisionFeedClosedError();
    const subscriber = new FeedSubscriber(matcher(filter), (s) => this.release(s));
    this.subscribers.add(subscriber);
    try {
      await this.open();
    } catch (error) {
      subscriber.end();
      throw error;
    }
    return subscriber;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    for (const s of [...this.subscribers]) s.end();
    if (this.source) await this.stop(this.source);
  }

  private open(): Promise<void> {
    if (this.source) return Promise.resolve();
    this.opening ??= this.start().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async start(): Promise<void> {
    const head = await this.store.headPosition();
    const source: Source = { subscription: this.store.subscribeToAll({ after: head, filter: { eventTypePrefixes: [DECISION_MADE] } }) };
    this.source = source;
    source.pump = this.pump(source);
    if (this.subscribers.size === 0) await this.stop(source); // they all left while it opened
  }

  private release(subscriber: FeedSubscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0 && this.source && !this.opening) {
      this.stop(this.source).catch((error: unknown) => this.log.error({ err: error }, 'closing the decisionMade feed failed'));
    }
  }

  private async stop(source: Source): Promise<void> {
    if (this.source === source) this.source = undefined;
    await source.subscription.close();
    await source.pump;
  }

  private async pump(source: Source): Promise<void> {
    let failure: unknown;
    try {
      for await (const event of source.subscription) {
        if (event.type !== DECISION_MADE) continue;
        const decision = fromRecord(toAuditRecord(event), event.position);
        for (const s of this.subscribers) s.offer(decision);
      }
    } catch (error) {
      failure = error;
    }
    if (this.source !== source) return; // closed by stop(): nothing went wrong
    this.source = undefined;
    if (failure !== undefined) {
      this.log.error({ err: failure }, "the decisionMade feed lost its event store subscription; ending its subscribers' streams with the error");
    } else {
      this.log.warn('the event store ended the decisionMade feed (closing); ending its subscribers\' streams');
    }
    const ended = failure === undefined ? undefined : new DecisionFeedError(failure);
    for (const s of [...this.subscribers]) s.end(ended);
    await source.subscription.close().catch(() => undefined);
  }
}
