import { GraphQLError } from 'graphql';

/** Items a subscriber may have waiting before its stream is ended (a client that stopped reading). */
export const SUBSCRIBER_QUEUE_LIMIT = 1000;

export class SubscriberFellBehindError extends GraphQLError {
  constructor(limit: number) {
    super(`This subscription fell more than ${limit} items behind and was ended; subscribe again.`, { extensions: { code: 'subscriber-fell-behind', limit } });
    this.name = 'SubscriberFellBehindError';
  }
}

const DONE: IteratorResult<never> = { value: undefined, done: true };

/**
 * One subscriber of a feed (decisionMade, alertRaised): the items that pass its filter, queued until its client reads
 * them (at most `limit`; beyond that its stream ends with SubscriberFellBehindError rather than holding memory
 * without bound). `end(error)` ends it after what is queued; return() (the client left) ends it at once. Either calls
 * `onEnd` once.
 */
export class FeedSubscriber<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: Error) => void } | undefined;
  private ended = false;
  private failure: Error | undefined;

  constructor(
    private readonly matches: (item: T) => boolean,
    private readonly onEnd: (subscriber: FeedSubscriber<T>) => void,
    private readonly limit = SUBSCRIBER_QUEUE_LIMIT,
  ) {}

  offer(item: T): void {
    if (this.ended || !this.matches(item)) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
    } else if (this.queue.length >= this.limit) {
      this.end(new SubscriberFellBehindError(this.limit));
    } else {
      this.queue.push(item);
    }
  }

  /** No more items; the client gets what is queued, then `error` (if any) or the end of the stream. */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.onEnd(this);
    if (this.waiting) {
      const { resolve, reject } = this.waiting;
      this.waiting = undefined;
      if (error) reject(error);
      else resolve(DONE);
      this.failure = undefined;
    }
  }

  next(): Promise<IteratorResult<T>> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve({ value: queued, done: false });
    if (this.ended) {
      const error = this.failure;
      this.failure = undefined; // reported once
      return error ? Promise.reject(error) : Promise.resolve(DONE);
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The client unsubscribed or disconnected. */
  return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.end();
    return Promise.resolve(DONE);
  }

  throw(error: Error): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
