import { canonicalJson } from '@verdict/domain/canonical-json';
import type { EventStore, RecordedEvent } from '../../event-store.port';
import { newEvent, newEvents, strictlyIncreasing, uniquePrefix } from '../event-store-test-kit';

const ids = (events: readonly { id: string }[]): string[] => events.map((e) => e.id);

export function readContract(store: () => EventStore): void {
  describe('readStream', () => {
    it('returns [] for a stream that does not exist', async () => {
      expect(await store().readStream(uniquePrefix('nothing'))).toEqual([]);
    });

    it('returns the events with their ids, types, stream, revisions and positions', async () => {
      const s = uniquePrefix('fields');
      const events = [newEvent('First'), newEvent('Second')];
      const result = await store().appendToStream(s, events, { expectedRevision: 'no_stream' });
      const read = await store().readStream(s);
      expect(read.map((e) => [e.id, e.type, e.streamId, e.revision])).toEqual([
        [events[0].id, 'First', s, 0n],
        [events[1].id, 'Second', s, 1n],
      ]);
      expect(read[1].position).toBe(result.position);
      expect(typeof read[0].position).toBe('bigint');
    });

    it('honours fromRevision and maxCount', async () => {
      const s = uniquePrefix('window');
      const events = newEvents(6);
      await store().appendToStream(s, events, { expectedRevision: 'no_stream' });
      expect(ids(await store().readStream(s, { fromRevision: 4n }))).toEqual(ids2(events, 4, 6));
      expect(ids(await store().readStream(s, { maxCount: 2 }))).toEqual(ids2(events, 0, 2));
      expect(ids(await store().readStream(s, { fromRevision: 1n, maxCount: 3 }))).toEqual(ids2(events, 1, 4));
      expect(await store().readStream(s, { fromRevision: 6n })).toEqual([]);
    });

    it('round-trips data and metadata exactly (nested JSON, unicode, numbers)', async () => {
      const s = uniquePrefix('roundtrip');
      const data = {
        text: 'plain',
        unicode: 'Zürich · 東京 · مرحبا · 🚀👩‍💻 · "quotes" \\ back\nnew line\ttab',
        numbers: { int: 42, negative: -7, zero: 0, float: 0.1, tiny: 5e-324, big: 1.7976931348623157e308, safe: 9007199254740991 },
        flags: [true, false, null],
        nested: { a: [{ b: { c: [1, [2, [3]]] } }], empty: {}, emptyList: [] },
        'key with spaces & ünïcode': 'v',
      };
      const metadata = { correlationId: 'c-1', causation: { by: 'contract' }, amounts: [12.5, 1e21] };
      await store().appendToStream(s, [newEvent('RoundTrip', data, metadata), newEvent('NoMetadata', { x: 1 })], {
        expectedRevision: 'no_stream',
      });
      const [withMeta, withoutMeta] = await store().readStream(s);
      expect(withMeta.data).toEqual(data);
      expect(withMeta.metadata).toEqual(metadata);
      expect(withoutMeta.data).toEqual({ x: 1 });
      expect(withoutMeta.metadata).toEqual({});
    });

    it('recordedAt is a real Date near the time of the append', async () => {
      const s = uniquePrefix('recorded');
      const before = Date.now();
      await store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
      const [event] = await store().readStream(s);
      expect(event.recordedAt).toBeInstanceOf(Date);
      expect(Number.isNaN(event.recordedAt.getTime())).toBe(false);
      // Wide window: a server clock may differ from ours; this only catches unit or epoch mistakes.
      expect(Math.abs(event.recordedAt.getTime() - before)).toBeLessThan(24 * 3600 * 1000);
    });
  });

  describe('readAll', () => {
    it('pages through the global log with after + maxCount, in strictly increasing positions', async () => {
      const p = uniquePrefix('paging');
      const appended: string[] = [];
      for (const [i, n] of [3, 1, 2, 1].entries()) {
        const events = newEvents(n);
        await store().appendToStream(`${p}-${i % 2}`, events, { expectedRevision: 'any' });
        appended.push(...ids(events));
      }
      const filter = { streamPrefixes: [p] };
      const pages: RecordedEvent[][] = [];
      let after: bigint | undefined;
      for (;;) {
        const page = await store().readAll({ after, maxCount: 3, filter });
        expect(page.length).toBeLessThanOrEqual(3);
        if (page.length === 0) break;
        pages.push(page);
        after = page[page.length - 1].position;
      }
      expect(pages.map((pg) => pg.length)).toEqual([3, 3, 1]);
      const all = pages.flat();
      expect(ids(all)).toEqual(appended);
      expect(strictlyIncreasing(all.map((e) => e.position))).toBe(true);
    });

    it('returns at most 1000 events when maxCount is not given', async () => {
      const s = uniquePrefix('default-max');
      for (let i = 0; i < 5; i++) {
        await store().appendToStream(s, newEvents(250), { expectedRevision: i === 0 ? 'no_stream' : BigInt(i * 250 - 1) });
      }
      const page = await store().readAll({ filter: { streamPrefixes: [s] } });
      expect(page).toHaveLength(1000);
      expect(page[999].revision).toBe(999n);
    });

    it('readAllText gives the same page with data and metadata as JSON text that parses to the same values', async () => {
      const p = uniquePrefix('text');
      const data = { z: 1, a: { y: [1.5, 'Zürich 🚀', null], b: true }, 'key with spaces': '"quoted"\n', n: -0.001, e: 1e21 };
      await store().appendToStream(`${p}-a`, [newEvent('Text', data, { correlationId: 'c', at: [3, 2, 1] }), newEvent('Bare', { x: 1 })], { expectedRevision: 'no_stream' });
      await store().appendToStream(`${p}-b`, newEvents(3), { expectedRevision: 'no_stream' });
      const filter = { streamPrefixes: [p] };
      const parsed = await store().readAll({ filter });
      const text = await store().readAllText({ filter });
      expect(text.map(({ dataJson, metadataJson, canonical: _, ...rest }) => ({ ...rest, data: JSON.parse(dataJson), metadata: JSON.parse(metadataJson) }))).toEqual(parsed);
      // What a store vouches for as canonical is: the audit sealer hashes that text without parsing it.
      for (const t of text.filter((e) => e.canonical)) {
        expect(canonicalJson(JSON.parse(t.dataJson))).toBe(t.dataJson);
        expect(canonicalJson(JSON.parse(t.metadataJson))).toBe(t.metadataJson);
      }
      expect(JSON.parse(text[0].dataJson)).toEqual(data);
      expect(JSON.parse(text[1].metadataJson)).toEqual({});
      const page = await store().readAllText({ after: parsed[1].position, maxCount: 2, filter });
      expect(ids(page)).toEqual(ids(parsed.slice(2, 4)));
      expect(await store().readAllText({ after: parsed[4].position, filter })).toEqual([]);
    });

    it('after is exclusive and positions agree with readStream', async () => {
      const s = uniquePrefix('exclusive');
      await store().appendToStream(s, newEvents(3), { expectedRevision: 'no_stream' });
      const fromStream = await store().readStream(s);
      const filter = { streamPrefixes: [s] };
      expect(await store().readAll({ filter })).toEqual(fromStream);
      const rest = await store().readAll({ after: fromStream[0].position, filter });
      expect(ids(rest)).toEqual(ids(fromStream.slice(1)));
    });

    it('filters by stream prefix: any listed prefix matches, a prefix is not a substring or a pattern', async () => {
      const p = uniquePrefix('sp');
      const streams = [`${p}_a-1`, `${p}_b-1`, `${p}xa-1`, `other-${p}_a-1`, `${p}%c-1`];
      for (const s of streams) await store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
      const one = await store().readAll({ filter: { streamPrefixes: [`${p}_a`] } });
      expect(one.map((e) => e.streamId)).toEqual([`${p}_a-1`]);
      const two = await store().readAll({ filter: { streamPrefixes: [`${p}_b`, `${p}%`] } });
      expect(two.map((e) => e.streamId)).toEqual([`${p}_b-1`, `${p}%c-1`]);
      const wide = await store().readAll({ filter: { streamPrefixes: [`${p}_`] } });
      expect(wide.map((e) => e.streamId)).toEqual([`${p}_a-1`, `${p}_b-1`]);
    });

    it('filters by event type prefix', async () => {
      const p = uniquePrefix('tp');
      const t = `T${p.replace(/-/g, '')}`;
      const s = `${p}-s`;
      await store().appendToStream(
        s,
        [newEvent(`${t}.Alpha`), newEvent(`${t}.Beta`), newEvent(`${t}.AlphaTwo`), newEvent(`X${t}.Alpha`)],
        { expectedRevision: 'no_stream' },
      );
      const alphas = await store().readAll({ filter: { eventTypePrefixes: [`${t}.Al`] } });
      expect(alphas.map((e) => e.type)).toEqual([`${t}.Alpha`, `${t}.AlphaTwo`]);
      const both = await store().readAll({ filter: { eventTypePrefixes: [`${t}.B`, `X${t}`] } });
      expect(both.map((e) => e.type)).toEqual([`${t}.Beta`, `X${t}.Alpha`]);
    });

    it('without a filter, includes our events in append order among whatever else is in the log', async () => {
      const s = uniquePrefix('unfiltered');
      const head = await store().headPosition();
      const events = newEvents(3);
      await store().appendToStream(s, events, { expectedRevision: 'no_stream' });
      const page = await store().readAll({ after: head, maxCount: 1000 });
      expect(strictlyIncreasing(page.map((e) => e.position))).toBe(true);
      expect(ids(page.filter((e) => e.streamId === s))).toEqual(ids(events));
    });
  });

  describe('countEvents', () => {
    it('counts what a reader at a position still has to read, by the same filter as readAll, up to the limit', async () => {
      const p = uniquePrefix('count');
      const t = `T${p.replace(/-/g, '')}`;
      const before = await store().headPosition();
      const first = await store().appendToStream(`${p}-a`, [newEvent(`${t}.Kept`), newEvent(`${t}.Other`)], { expectedRevision: 'no_stream' });
      await store().appendToStream(`${p}-b`, [newEvent(`${t}.Kept`), newEvent(`${t}.Kept`), newEvent(`${t}.Other`)], { expectedRevision: 'no_stream' });
      const kept = { eventTypePrefixes: [`${t}.Kept`] };
      expect(await store().countEvents({ after: before, filter: kept, limit: 100 })).toBe(3);
      expect(await store().countEvents({ after: first.position, filter: kept, limit: 100 })).toBe(2); // after stream a
      expect(await store().countEvents({ after: before, filter: { streamPrefixes: [`${p}-b`] }, limit: 100 })).toBe(3);
      expect(await store().countEvents({ after: before, filter: kept, limit: 2 })).toBe(2); // "at least 2"
      const head = await store().headPosition();
      expect(await store().countEvents({ after: head, limit: 10 })).toBe(0);
      const all = await store().readAll({ after: before, maxCount: 1000 });
      expect(await store().countEvents({ after: before, limit: 1000 })).toBe(Math.min(all.length, 1000));
      await expect(store().countEvents({ after: head, limit: 0 })).rejects.toThrow(RangeError);
    });
  });
}

const ids2 = (events: readonly { id: string }[], from: number, to: number): string[] =>
  events.slice(from, to).map((e) => e.id);
