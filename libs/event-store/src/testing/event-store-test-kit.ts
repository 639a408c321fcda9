import { randomUUID } from 'node:crypto';
import type { AllSubscription, EventData, RecordedEvent } from '../event-store.port';

/** A stream-name prefix no other test (or earlier run against a shared store) uses. */
export const uniquePrefix = (label: string): string => `ct${randomUUID().replace(/-/g, '').slice(0, 12)}-${label}`;

export const newEvent = (type = 'ContractTested', data: Record<string, unknown> = {}, metadata?: Record<string, unknown>): EventData => ({
  id: randomUUID(),
  type,
  data,
  ...(metadata === undefined ? {} : { metadata }),
});

export const newEvents = (n: number, type = 'ContractTested'): EventData[] =>
  Array.from({ length: n }, (_, i) => newEvent(type, { i }));

const iterators = new WeakMap<AllSubscription, AsyncIterator<RecordedEvent>>();

/** One iterator per subscription, so successive take() calls continue where the last one stopped. */
function iteratorOf(subscription: AllSubscription): AsyncIterator<RecordedEvent> {
  let iterator = iterators.get(subscription);
  if (iterator === undefined) {
    iterator = subscription[Symbol.asyncIterator]();
    iterators.set(subscription, iterator);
  }
  return iterator;
}

/**
 * Pulls from a subscription until `count` events satisfying `accept` have arrived (others are skipped), then
 * returns them without closing. Fails with a readable message rather than hanging when they never come.
 */
export async function take(
  subscription: AllSubscription,
  count: number,
  accept: (e: RecordedEvent) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<RecordedEvent[]> {
  const iterator = iteratorOf(subscription);
  const received: RecordedEvent[] = [];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void subscription.close();
  }, timeoutMs);
  try {
    while (received.length < count) {
      const next = await iterator.next();
      if (next.done) break;
      if (accept(next.value)) received.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  if (received.length < count) {
    throw new Error(
      `subscription delivered ${received.length} of ${count} expected events` +
        (timedOut ? ` within ${timeoutMs} ms` : ' before it ended'),
    );
  }
  return received;
}

/** Every element of `values` is strictly greater than the one before. */
export const strictlyIncreasing = (values: readonly bigint[]): boolean => values.every((v, i) => i === 0 || v > values[i - 1]);

/** Settles all and splits fulfilled / rejected, keeping the order of each. */
export async function settle<T>(promises: readonly Promise<T>[]): Promise<{ ok: T[]; failed: unknown[] }> {
  const results = await Promise.allSettled(promises);
  return {
    ok: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    failed: results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])),
  };
}
