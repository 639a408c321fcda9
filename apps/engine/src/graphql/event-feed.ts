import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { AllSubscription, EventStore, RecordedEvent } from '@verdict/event-store';
import { FeedSubscriber } from './feed-subscriber';

/** A feed's event store subscription failed: the subscribers' streams end with this (the cause is logged). */
export class FeedStoppedError extends GraphQLError {
  constructor(what: string, cause: unknown) {
    super(`The ${what} stream stopped: the event store could not be read. Subscribe again.`, {
      originalError: cause instanceof Error ? cause : undefined,
      extensions: { code: 'event-store-unavailable' },
    });
    this.name = 'FeedStoppedError';
  }
}

export class FeedClosedError extends GraphQLError {
  constructor() {
    super('The engine is shutting down; subscribe to another instance.', { extensions: { code: 'shutting-down' } });
    this.name = 'FeedClosedError';
  }
}

/** What a feed streams: which events, and each as its subscribers see it (null: not for them). */
export interface FeedSource<T> {
  /** For log lines and errors, e.g. "decisionMade". */
  readonly name: string;
  readonly eventTypes: readonly string[];
  toItem(event: RecordedEvent): T | null;
}

interface Source {
  readonly subscription: AllSubscription;
  pump?: Promise<void>;
}

/**
 * Events of some types as they are committed to the log, fanned out to this instance's subscribers. One event store
 * subscription serves them all, so every instance streams every event, whichever instance appended it. It is
 * opened, from the head of the log, when the first subscriber arrives and closed when the last one leaves: an
 * engine nobody watches reads nothing back from its log.
 *
 * A store error is not retried here: it is logged and ends every subscriber's stream with FeedStoppedError (a
 * GraphQL error to the client, who can subscribe again). Resuming silently would hide the gap from clients, and a
 * store that stays down would leave them waiting without a word.
 */
export class EventFeed<T> {
  private readonly subscribers = new Set<FeedSubscriber<T>>();
  private source: Source | undefined;
  private opening: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly log: Logger,
    private readonly feed: FeedSource<T>,
  ) {}

  /** Subscribers streamed to right now (counted once the feed reads the log). */
  get streaming(): number {
    return this.source ? this.subscribers.size : 0;
  }

  /** A stream of the items committed from now on that pass `matches`; its return() unsubscribes. */
  async subscribe(matches: (item: T) => boolean): Promise<AsyncIterableIterator<T>> {
    if (this.closed) throw new FeedClosedError();
    const subscriber = new FeedSubscriber<T>(matches, (s) => this.release(s));
    this.subscribers.add(subscriber);
    try {
      await this.open();
    } catch (error) {
      subscriber.end();
      throw error;
    }
    return subscriber;
  }

  async close(): Promise<void> {
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
    const source: Source = { subscription: this.store.subscribeToAll({ after: head, filter: { eventTypePrefixes: [...this.feed.eventTypes] } }) };
    this.source = source;
    source.pump = this.pump(source);
    if (this.subscribers.size === 0) await this.stop(source); // they all left while it opened
  }

  private release(subscriber: FeedSubscriber<T>): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0 && this.source && !this.opening) {
      this.stop(this.source).catch((error: unknown) => this.log.error({ err: error }, `closing the ${this.feed.name} feed failed`));
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
        if (!this.feed.eventTypes.includes(event.type)) continue; // prefixes: only the exact types are ours
        const item = this.feed.toItem(event);
        if (item === null) continue;
        for (const s of this.subscribers) s.offer(item);
      }
    } catch (error) {
      failure = error;
    }
    if (this.source !== source) return; // closed by stop(): nothing went wrong
    this.source = undefined;
    if (failure !== undefined) {
      this.log.error({ err: failure }, `the ${this.feed.name} feed lost its event store subscription; ending its subscribers' streams with the error`);
    } else {
      this.log.warn(`the event store ended the ${this.feed.name} feed (closing); ending its subscribers' streams`);
    }
    const ended = failure === undefined ? undefined : new FeedStoppedError(this.feed.name, failure);
    for (const s of [...this.subscribers]) s.end(ended);
    await source.subscription.close().catch(() => undefined);
  }
}
