import { EventStoreErrorCode, InvalidAppendError, WrongExpectedRevisionError } from '../../event-store.errors';
import type { EventData, EventStore, ExpectedRevision } from '../../event-store.port';
import { newEvent, newEvents, settle, strictlyIncreasing, uniquePrefix } from '../event-store-test-kit';

async function expectWrongRevision(
  attempt: Promise<unknown>,
  streamId: string,
  expected: ExpectedRevision,
  actual: bigint | 'no_stream',
): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  const wrong = error as WrongExpectedRevisionError;
  expect(wrong.code).toBe(EventStoreErrorCode.WrongExpectedRevision);
  expect(wrong.streamId).toBe(streamId);
  expect(wrong.expected).toBe(expected);
  expect(wrong.actual).toBe(actual);
}

export function appendContract(store: () => EventStore): void {
  describe('appendToStream', () => {
    it("'no_stream' creates the stream at revision 0", async () => {
      const s = uniquePrefix('new');
      const result = await store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(0n);
      expect(typeof result.position).toBe('bigint');
      const read = await store().readStream(s);
      expect(read).toHaveLength(1);
      expect(read[0].revision).toBe(0n);
      expect(read[0].position).toBe(result.position);
    });

    it("'no_stream' on an existing stream fails with the actual revision and appends nothing", async () => {
      const s = uniquePrefix('exists');
      await store().appendToStream(s, newEvents(2), { expectedRevision: 'no_stream' });
      await expectWrongRevision(store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' }), s, 'no_stream', 1n);
      expect(await store().readStream(s)).toHaveLength(2);
    });

    it("'any' appends to a missing and to an existing stream", async () => {
      const s = uniquePrefix('any');
      const first = await store().appendToStream(s, [newEvent()], { expectedRevision: 'any' });
      const second = await store().appendToStream(s, newEvents(2), { expectedRevision: 'any' });
      expect(first.nextExpectedRevision).toBe(0n);
      expect(second.nextExpectedRevision).toBe(2n);
      expect(second.position).toBeGreaterThan(first.position);
    });

    it("'stream_exists' fails on a missing stream with actual 'no_stream' and succeeds on an existing one", async () => {
      const s = uniquePrefix('must-exist');
      await expectWrongRevision(
        store().appendToStream(s, [newEvent()], { expectedRevision: 'stream_exists' }),
        s,
        'stream_exists',
        'no_stream',
      );
      expect(await store().readStream(s)).toEqual([]);
      await store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
      const result = await store().appendToStream(s, [newEvent()], { expectedRevision: 'stream_exists' });
      expect(result.nextExpectedRevision).toBe(1n);
    });

    it('an exact revision succeeds when it is the last revision and fails with the actual one otherwise', async () => {
      const s = uniquePrefix('exact');
      const created = await store().appendToStream(s, newEvents(3), { expectedRevision: 'no_stream' });
      expect(created.nextExpectedRevision).toBe(2n);
      const next = await store().appendToStream(s, [newEvent()], { expectedRevision: 2n });
      expect(next.nextExpectedRevision).toBe(3n);
      await expectWrongRevision(store().appendToStream(s, [newEvent()], { expectedRevision: 2n }), s, 2n, 3n);
      await expectWrongRevision(store().appendToStream(s, [newEvent()], { expectedRevision: 7n }), s, 7n, 3n);
      expect(await store().readStream(s)).toHaveLength(4);
    });

    it('an exact revision on a missing stream fails with actual "no_stream"', async () => {
      const s = uniquePrefix('exact-missing');
      await expectWrongRevision(store().appendToStream(s, [newEvent()], { expectedRevision: 0n }), s, 0n, 'no_stream');
      expect(await store().readStream(s)).toEqual([]);
    });

    it('a multi-event append gets consecutive revisions, increasing positions, and reports the last one', async () => {
      const s = uniquePrefix('multi');
      const events = newEvents(5);
      const result = await store().appendToStream(s, events, { expectedRevision: 'no_stream' });
      const read = await store().readStream(s);
      expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(strictlyIncreasing(read.map((e) => e.position))).toBe(true);
      expect(result.nextExpectedRevision).toBe(4n);
      expect(result.position).toBe(read[4].position);
    });

    it('a multi-event append that fails its check stores none of its events', async () => {
      const s = uniquePrefix('atomic');
      await store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
      await expect(store().appendToStream(s, newEvents(3), { expectedRevision: 5n })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await expect(store().appendToStream(s, newEvents(3), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect(await store().readStream(s)).toHaveLength(1);
    });

    it("'no_stream' is enforced when concurrent appends race to create the same stream: exactly one wins", async () => {
      const s = uniquePrefix('race');
      const contenders = Array.from({ length: 8 }, () => newEvents(2));
      const { ok, failed } = await settle(
        contenders.map((events) => store().appendToStream(s, events, { expectedRevision: 'no_stream' })),
      );
      expect(ok).toHaveLength(1);
      expect(failed).toHaveLength(7);
      for (const e of failed) {
        expect(e).toBeInstanceOf(WrongExpectedRevisionError);
        // The store may not know the winner's revision at the moment of the conflict; if it says, it must be right.
        expect([1n, undefined]).toContain((e as WrongExpectedRevisionError).actual);
      }
      const stored = await store().readStream(s);
      expect(stored).toHaveLength(2);
      expect(contenders.some((c) => c.map((e) => e.id).join() === stored.map((e) => e.id).join())).toBe(true);
    });

    it('concurrent appends expecting the same exact revision: exactly one wins', async () => {
      const s = uniquePrefix('race-exact');
      await store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
      const { ok, failed } = await settle(
        Array.from({ length: 8 }, () => store().appendToStream(s, [newEvent()], { expectedRevision: 0n })),
      );
      expect(ok).toHaveLength(1);
      expect(failed.every((e) => e instanceof WrongExpectedRevisionError)).toBe(true);
      expect(await store().readStream(s)).toHaveLength(2);
    });

    it("concurrent 'any' appends to one stream all succeed with distinct consecutive revisions", async () => {
      const s = uniquePrefix('any-concurrent');
      const results = await Promise.all(
        Array.from({ length: 25 }, () => store().appendToStream(s, [newEvent()], { expectedRevision: 'any' })),
      );
      const revisions = results.map((r) => r.nextExpectedRevision).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(revisions).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i)));
      const read = await store().readStream(s);
      expect(read.map((e) => e.revision)).toEqual(revisions);
      expect(strictlyIncreasing(read.map((e) => e.position))).toBe(true);
    });

    it('concurrent appends to many different streams all succeed', async () => {
      const p = uniquePrefix('fanout');
      const streams = Array.from({ length: 200 }, (_, i) => `${p}-${i}`);
      const results = await Promise.all(
        streams.map((s) => store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' })),
      );
      expect(results.every((r) => r.nextExpectedRevision === 0n)).toBe(true);
      expect(new Set(results.map((r) => r.position)).size).toBe(streams.length);
      for (const [i, s] of streams.entries()) {
        const read = await store().readStream(s);
        expect(read).toHaveLength(1);
        expect(read[0].position).toBe(results[i].position);
      }
    });

    it('refuses the same malformed appends with InvalidAppendError, storing nothing (one validation for all)', async () => {
      const s = uniquePrefix('invalid');
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const repeated = newEvent();
      const attempts: Array<[string, EventData[], ExpectedRevision]> = [
        ['', [newEvent()], 'any'],
        [`$${s}`, [newEvent()], 'any'],
        [`${s}\u0000`, [newEvent()], 'any'],
        [s, [], 'any'],
        [s, [newEvent()], -1n],
        [s, [newEvent()], 'sometimes' as ExpectedRevision],
        [s, [{ ...newEvent(), id: 'not-a-uuid' }], 'any'],
        [s, [repeated, { ...newEvent(), id: repeated.id.toUpperCase() }], 'any'],
        [s, [newEvent('')], 'any'],
        [s, [newEvent('$system')], 'any'],
        [s, [{ ...newEvent(), data: [] as unknown as Record<string, unknown> }], 'any'],
        [s, [newEvent('T', {}, [] as unknown as Record<string, unknown>)], 'any'],
        [s, [newEvent('T', { n: 1n })], 'any'],
        [s, [newEvent('T', cyclic)], 'any'],
      ];
      for (const [streamId, events, expectedRevision] of attempts) {
        await expect(store().appendToStream(streamId, events, { expectedRevision })).rejects.toBeInstanceOf(InvalidAppendError);
      }
      expect(await store().readStream(s)).toEqual([]);
    });

    it('stores event ids in lower case', async () => {
      const s = uniquePrefix('upper-id');
      const event = newEvent();
      await store().appendToStream(s, [{ ...event, id: event.id.toUpperCase() }], { expectedRevision: 'no_stream' });
      expect((await store().readStream(s)).map((e) => e.id)).toEqual([event.id.toLowerCase()]);
    });

    it('headPosition is at least the position of the last acknowledged append', async () => {
      const s = uniquePrefix('head');
      const first = await store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
      expect(await store().headPosition()).toBeGreaterThanOrEqual(first.position);
      const second = await store().appendToStream(s, [newEvent()], { expectedRevision: 0n });
      expect(second.position).toBeGreaterThan(first.position);
      expect(await store().headPosition()).toBeGreaterThanOrEqual(second.position);
    });
  });
}
