import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import { EventBatcher } from './event-batcher';

const ev = (position: number): RecordedEvent => ({
  id: `e${position}`,
  type: 'T',
  streamId: 's',
  revision: BigInt(position - 1),
  position: BigInt(position),
  data: {},
  metadata: {},
  recordedAt: new Date(0),
});

/** An async iterator fed by hand: `push` makes events available, `end`/`fail` finish it. */
function channel() {
  const buffered: Array<IteratorResult<RecordedEvent> | Error> = [];
  const waiting: Array<{ resolve: (r: IteratorResult<RecordedEvent>) => void; reject: (e: Error) => void }> = [];
  const deliver = (item: IteratorResult<RecordedEvent> | Error) => {
    const w = waiting.shift();
    if (!w) buffered.push(item);
    else if (item instanceof Error) w.reject(item);
    else w.resolve(item);
  };
  const iterator: AsyncIterator<RecordedEvent> = {
    next: () => {
      const item = buffered.shift();
      if (item instanceof Error) return Promise.reject(item);
      if (item) return Promise.resolve(item);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
  };
  return {
    iterator,
    push: (...ps: number[]) => ps.forEach((p) => deliver({ done: false, value: ev(p) })),
    end: () => deliver({ done: true, value: undefined }),
    fail: (e: Error) => deliver(e),
  };
}

const positions = (batch: RecordedEvent[] | null) => batch?.map((e) => Number(e.position)) ?? null;

describe('EventBatcher', () => {
  it('takes what is available now, up to the maximum', async () => {
    const c = channel();
    c.push(1, 2, 3, 4, 5);
    const batcher = new EventBatcher(c.iterator, 3);
    expect(positions(await batcher.next())).toEqual([1, 2, 3]);
    expect(positions(await batcher.next())).toEqual([4, 5]);
  });

  it('waits for the first event, and keeps an unanswered read for the next batch (no event lost)', async () => {
    const c = channel();
    const batcher = new EventBatcher(c.iterator, 10);
    const first = batcher.next();
    c.push(1);
    expect(positions(await first)).toEqual([1]);
    // The read issued while collecting batch 1 is still pending; the event it gets belongs to batch 2.
    c.push(2, 3);
    expect(positions(await batcher.next())).toEqual([2, 3]);
  });

  it('returns null once the iteration has ended, after delivering the last batch', async () => {
    const c = channel();
    c.push(1, 2);
    c.end();
    const batcher = new EventBatcher(c.iterator, 10);
    expect(positions(await batcher.next())).toEqual([1, 2]);
    expect(await batcher.next()).toBeNull();
    expect(await batcher.next()).toBeNull();
  });

  it('throws a store error, also one that arrives on a kept read', async () => {
    const c = channel();
    c.push(1);
    const batcher = new EventBatcher(c.iterator, 10);
    expect(positions(await batcher.next())).toEqual([1]);
    c.fail(new Error('store down'));
    await expect(batcher.next()).rejects.toThrow('store down');
  });

  it('idle, hands out the first event at once even with a hold interval', async () => {
    const c = channel();
    const batcher = new EventBatcher(c.iterator, { maxSize: 10, minIntervalMs: 60_000 });
    const first = batcher.next();
    c.push(1);
    expect(positions(await first)).toEqual([1]);
  });

  it('right after a batch, keeps collecting arrivals until the interval is over', async () => {
    const c = channel();
    const batcher = new EventBatcher(c.iterator, { maxSize: 10, minIntervalMs: 200 });
    c.push(1);
    expect(positions(await batcher.next())).toEqual([1]);
    const second = batcher.next();
    c.push(2);
    // Arrives after batch 2 has started collecting (a later macrotask), still within the interval.
    setTimeout(() => c.push(3, 4), 20);
    expect(positions(await second)).toEqual([2, 3, 4]);
  });

  it('stops holding as soon as the batch is full, keeping later events for the next batch', async () => {
    const c = channel();
    const batcher = new EventBatcher(c.iterator, { maxSize: 3, minIntervalMs: 60_000 });
    c.push(1);
    expect(positions(await batcher.next())).toEqual([1]);
    const second = batcher.next();
    c.push(2);
    setTimeout(() => c.push(3, 4, 5), 5);
    expect(positions(await second)).toEqual([2, 3, 4]);
    c.end();
    // The interval has not passed, but the iteration ends: the rest comes out without waiting for it.
    expect(positions(await batcher.next())).toEqual([5]);
    expect(await batcher.next()).toBeNull();
  });

  it('a store error during a hold is thrown', async () => {
    const c = channel();
    const batcher = new EventBatcher(c.iterator, { maxSize: 10, minIntervalMs: 60_000 });
    c.push(1);
    expect(positions(await batcher.next())).toEqual([1]);
    const second = batcher.next();
    c.push(2);
    setTimeout(() => c.fail(new Error('store down')), 5);
    await expect(second).rejects.toThrow('store down');
  });
});
