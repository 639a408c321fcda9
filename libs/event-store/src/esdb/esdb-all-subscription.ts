import {
  START,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Filter,
} from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../event-store.errors';
import type { AllSubscription, EventFilter, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import { toStoreError } from './esdb-errors';
import { isVisible, toRecordedEvent } from './esdb-event-mapping';

// Flow control between the client's stream and our consumer: pause the gRPC stream above, resume below.
const HIGH_WATER = 512;
const LOW_WATER = 128;

/**
 * The port's catch-up subscription on top of the client's $all subscription. The client's own stream is not a
 * usable async iterator for us: after `unsubscribe()` it never ends (the cancelled gRPC call is piped into it and
 * pipe() does not end on error), so a waiting `for await` would hang. Hence this small queue.
 */
export class EsdbAllSubscription implements AllSubscription {
  private readonly source: AllStreamSubscription;
  private readonly queue: RecordedEvent[] = [];
  private failure: unknown;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    client: EventStoreDBClient,
    private readonly options: SubscribeToAllOptions,
    private readonly onClosed: (subscription: EsdbAllSubscription) => void,
  ) {
    const after = options.after;
    this.source = client.subscribeToAll({
      fromPosition: after === undefined || after <= 0n ? START : { commit: after, prepare: after },
      filter: serverSideFilter(options.filter),
    });
    this.source.on('data', (resolved: AllStreamResolvedEvent) => this.accept(resolved));
    this.source.on('error', (error: unknown) => this.fail(toStoreError(error, 'subscription to $all')));
    this.source.on('end', () =>
      this.fail(new EventStoreUnavailableError('EventStoreDB ended the subscription to $all')),
    );
  }

  private accept(resolved: AllStreamResolvedEvent): void {
    if (this.closed || this.failure !== undefined) return;
    if (!isVisible(resolved, this.options.filter)) return;
    try {
      this.queue.push(toRecordedEvent(resolved));
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.queue.length >= HIGH_WATER) this.source.pause();
    this.notify();
  }

  private fail(error: unknown): void {
    if (this.closed || this.failure !== undefined) return;
    this.failure = error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async next(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const event = this.queue.shift();
      if (event) {
        if (this.queue.length <= LOW_WATER && this.source.isPaused()) this.source.resume();
        return { done: false, value: event };
      }
      if (this.failure !== undefined) {
        const failure = this.failure;
        await this.close();
        throw failure;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.notify();
    this.onClosed(this);
    await this.source.unsubscribe();
  }
}

/**
 * EventStoreDB filters on one thing per subscription. The stream part goes to the server when given (it is usually
 * the more selective one), otherwise the type part, otherwise the server drops system events; `isVisible` then
 * applies the complete filter to what arrives.
 */
function serverSideFilter(filter: EventFilter | undefined): Filter {
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter?.eventTypePrefixes?.length) return eventTypeFilter({ prefixes: [...filter.eventTypePrefixes] });
  return excludeSystemEvents();
}
