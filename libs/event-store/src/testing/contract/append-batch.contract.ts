import { InvalidAppendError, WrongExpectedRevisionError } from '../../event-store.errors';
import type { AppendResult, EventStore } from '../../event-store.port';
import { newEvent, newEvents, uniquePrefix } from '../event-store-test-kit';

const committed = (outcome: AppendResult | Error | undefined): AppendResult => {
  if (outcome === undefined || outcome instanceof Error) throw new Error(`expected a committed append, got ${String(outcome)}`);
  return outcome;
};

export function appendBatchContract(store: () => EventStore): void {
  describe('appendBatch', () => {
    it('commits appends to many streams and answers each in order, with positions readable afterwards', async () => {
      const p = uniquePrefix('batch');
      const streams = Array.from({ length: 25 }, (_, i) => `${p}-${i}`);
      const outcomes = await store().appendBatch(streams.map((streamId) => ({ streamId, events: [newEvent()], options: { expectedRevision: 'no_stream' } })));
      expect(outcomes).toHaveLength(25);
      const results = outcomes.map(committed);
      expect(new Set(results.map((r) => r.position)).size).toBe(25);
      for (const [i, streamId] of streams.entries()) {
        const [event] = await store().readStream(streamId);
        expect(event?.position).toBe(results[i]?.position);
        expect(results[i]?.nextExpectedRevision).toBe(0n);
      }
    });

    it('judges each append on its own: a refused one is its own outcome and the others commit', async () => {
      const p = uniquePrefix('batch-mixed');
      await store().appendToStream(`${p}-taken`, [newEvent()], { expectedRevision: 'no_stream' });
      const outcomes = await store().appendBatch([
        { streamId: `${p}-a`, events: [newEvent()], options: { expectedRevision: 'no_stream' } },
        { streamId: `${p}-taken`, events: [newEvent()], options: { expectedRevision: 'no_stream' } },
        { streamId: `${p}-bad`, events: [{ id: 'not-a-uuid', type: 'T', data: {} }], options: { expectedRevision: 'no_stream' } },
        { streamId: `${p}-b`, events: newEvents(3), options: { expectedRevision: 'any' } },
      ]);
      committed(outcomes[0]);
      expect(outcomes[1]).toBeInstanceOf(WrongExpectedRevisionError);
      expect((outcomes[1] as WrongExpectedRevisionError).actual).toBe(0n);
      expect(outcomes[2]).toBeInstanceOf(InvalidAppendError);
      expect(committed(outcomes[3]).nextExpectedRevision).toBe(2n);
      expect(await store().readStream(`${p}-taken`)).toHaveLength(1);
      expect(await store().readStream(`${p}-bad`)).toEqual([]);
      expect(await store().readStream(`${p}-b`)).toHaveLength(3);
    });

    it('two appends creating the same stream in one batch: exactly one wins', async () => {
      const s = uniquePrefix('batch-twice');
      const outcomes = await store().appendBatch([
        { streamId: s, events: [newEvent()], options: { expectedRevision: 'no_stream' } },
        { streamId: s, events: [newEvent()], options: { expectedRevision: 'no_stream' } },
      ]);
      expect(outcomes.filter((o) => o instanceof WrongExpectedRevisionError)).toHaveLength(1);
      expect(await store().readStream(s)).toHaveLength(1);
    });

    it('a batch larger than the group-commit limit and concurrent single appends all commit', async () => {
      const p = uniquePrefix('batch-big');
      const singles = Array.from({ length: 20 }, (_, i) => store().appendToStream(`${p}-single-${i}`, [newEvent()], { expectedRevision: 'no_stream' }));
      const outcomes = await store().appendBatch(
        Array.from({ length: 1200 }, (_, i) => ({ streamId: `${p}-${i}`, events: [newEvent()], options: { expectedRevision: 'no_stream' as const } })),
      );
      await Promise.all(singles);
      expect(outcomes.filter((o) => o instanceof Error)).toEqual([]);
      const page = await store().readAll({ filter: { streamPrefixes: [`${p}-`] }, maxCount: 2000 });
      expect(page).toHaveLength(1220);
    });

    it('an empty batch answers nothing', async () => {
      expect(await store().appendBatch([])).toEqual([]);
    });
  });
}
