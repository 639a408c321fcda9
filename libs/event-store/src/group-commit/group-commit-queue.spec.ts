import type { CommitReport } from '../event-store.port';
import { GroupCommitQueue } from './group-commit-queue';

/** A committer the test drives by hand: every batch waits until the test settles it. */
function manualCommitter() {
  const batches: { items: readonly number[]; resolve: (outcomes: (number | Error)[]) => void; reject: (e: Error) => void }[] = [];
  const commit = (items: readonly number[]) =>
    new Promise<ReadonlyArray<number | Error>>((resolve, reject) => batches.push({ items, resolve, reject }));
  return { batches, commit };
}

const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

describe('GroupCommitQueue', () => {
  it('batches what arrives in one turn, forms the next batch while one is in flight, and sends it at once', async () => {
    const { batches, commit } = manualCommitter();
    let committed = 0;
    const queue = new GroupCommitQueue({ commit, maxBatch: 3, eventCount: () => 2, onCommitted: () => committed++ });
    const first = [1, 2].map((n) => queue.enqueue(n));
    await nextTurn();
    expect(batches.map((b) => b.items)).toEqual([[1, 2]]);
    const next = [3, 4, 5, 6].map((n) => queue.enqueue(n)); // while [1, 2] commits
    await nextTurn();
    expect(batches).toHaveLength(1); // nothing overtakes the batch in flight
    let settled = false;
    void Promise.allSettled(first).then(() => (settled = true));
    await nextTurn();
    expect(settled).toBe(false); // no caller before its COMMIT
    batches[0].resolve([10, new Error('refused')]);
    await expect(first[0]).resolves.toBe(10);
    await expect(first[1]).rejects.toThrow('refused');
    expect(batches.map((b) => b.items)).toEqual([[1, 2], [3, 4, 5]]); // handed over in the same turn, at most maxBatch
    expect(committed).toBe(1);
    batches[1].resolve([30, 40, 50]);
    await nextTurn();
    batches[2].resolve([60]);
    expect(await Promise.all(next)).toEqual([30, 40, 50, 60]);
    expect(queue.stats()).toEqual({
      batches: 3,
      commits: 3,
      failedCommits: 0,
      committedAppends: 5,
      committedEvents: 10,
      rejectedAppends: 1,
      largestBatch: 3,
      queued: 0,
    });
  });

  it('times each committed batch from the call to commit until it resolved, counting only what it committed', async () => {
    const { batches, commit } = manualCommitter();
    const reports: CommitReport[] = [];
    const queue = new GroupCommitQueue({ commit, maxBatch: 10, eventCount: (n: number) => n, onCommitted: (_, r) => reports.push(r) });
    const before = performance.now();
    const items = [1, 2, 3].map((n) => queue.enqueue(n));
    await nextTurn();
    await new Promise((done) => setTimeout(done, 30));
    batches[0].resolve([10, new Error('refused'), 30]);
    await Promise.allSettled(items);
    const elapsed = (performance.now() - before) / 1000;
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ appends: 2, events: 4 }); // items 1 and 3: the refused one is not counted
    expect(reports[0].seconds).toBeGreaterThanOrEqual(0.025);
    expect(reports[0].seconds).toBeLessThanOrEqual(elapsed);
    const refused = queue.enqueue(4);
    await nextTurn();
    batches[1].resolve([new Error('refused')]);
    await expect(refused).rejects.toThrow('refused');
    expect(reports).toHaveLength(1); // a batch that committed nothing is not reported
  });

  it('rejects every item of a batch whose transaction failed, and goes on with the next batch', async () => {
    const { batches, commit } = manualCommitter();
    const queue = new GroupCommitQueue({ commit, maxBatch: 10, eventCount: () => 1 });
    const failing = [queue.enqueue(1), queue.enqueue(2)];
    await nextTurn();
    const later = queue.enqueue(3);
    batches[0].reject(new Error('COMMIT failed'));
    await expect(Promise.allSettled(failing)).resolves.toEqual([
      { status: 'rejected', reason: new Error('COMMIT failed') },
      { status: 'rejected', reason: new Error('COMMIT failed') },
    ]);
    await nextTurn();
    batches[1].resolve([3]);
    await expect(later).resolves.toBe(3);
    expect(queue.stats()).toMatchObject({ batches: 2, failedCommits: 1, commits: 1 });
  });

  it('once the committer reports it cannot commit any more, fails what is queued and every later item at once', async () => {
    const { batches, commit } = manualCommitter();
    let failure: Error | undefined;
    const queue = new GroupCommitQueue({ commit, maxBatch: 10, eventCount: () => 1, failure: () => failure });
    const inFlight = queue.enqueue(1);
    await nextTurn();
    const queued = queue.enqueue(2);
    failure = new Error('writer died');
    batches[0].reject(failure);
    await expect(inFlight).rejects.toBe(failure);
    await expect(queued).rejects.toBe(failure);
    await expect(queue.enqueue(3)).rejects.toBe(failure);
    expect(batches).toHaveLength(1);
  });

  it('drain() sends the queued batch at once and resolves when everything accepted has been settled', async () => {
    const { batches, commit } = manualCommitter();
    const queue = new GroupCommitQueue({ commit, maxBatch: 10, eventCount: () => 1 });
    await queue.drain(); // idle: at once
    const item = queue.enqueue(1);
    let drained = false;
    const draining = queue.drain().then(() => (drained = true));
    expect(batches).toHaveLength(1); // no waiting for the next turn
    await nextTurn();
    expect(drained).toBe(false);
    batches[0].resolve([1]);
    await draining;
    await expect(item).resolves.toBe(1);
  });

  it('keeps a group from enqueueAll in one batch: never split, alone when larger than maxBatch', async () => {
    const { batches, commit } = manualCommitter();
    const queue = new GroupCommitQueue({ commit, maxBatch: 3, eventCount: () => 1 });
    const single = queue.enqueue(1);
    const pair = queue.enqueueAll([2, 3, 4]); // would overflow the first batch: waits for the next
    const big = queue.enqueueAll([5, 6, 7, 8, 9]);
    await nextTurn();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    batches[0].resolve([10]);
    await expect(single).resolves.toBe(10);
    await nextTurn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1].resolve([20, new Error('wrong expected revision'), 40]);
    await expect(pair).resolves.toEqual([20, new Error('wrong expected revision'), 40]);
    await nextTurn();
    expect(batches[2].items).toEqual([5, 6, 7, 8, 9]); // larger than maxBatch: alone, whole
    batches[2].reject(new Error('COMMIT failed'));
    await expect(big).rejects.toThrow('COMMIT failed');
    expect(queue.stats()).toMatchObject({ largestBatch: 5, failedCommits: 1, rejectedAppends: 1 });
  });

  it('refuses a maxBatch below 1', () => {
    expect(() => new GroupCommitQueue({ commit: async () => [], maxBatch: 0, eventCount: () => 1 })).toThrow(RangeError);
  });
});
