import type { EventStore, RecordedEventText } from '../../event-store.port';
import { newEvent, uniquePrefix } from '../event-store-test-kit';

const chars = (e: RecordedEventText): number => e.dataJson.length + e.metadataJson.length;
const ids = (events: readonly { id: string }[]): string[] => events.map((e) => e.id);

/** The longest prefix of `events` whose text fits `maxChars`, and at least its first event: what a page must hold. */
function expectedPage(events: readonly RecordedEventText[], maxChars: number): RecordedEventText[] {
  let used = 0;
  let n = 0;
  while (n < events.length && (n === 0 || used + chars(events[n]) <= maxChars)) used += chars(events[n++]);
  return events.slice(0, n);
}

/** readAllText's maxChars: a page bounded by its text, for the export and any reader of large events. */
export function readTextBudgetContract(store: () => EventStore): void {
  describe('readAllText with maxChars', () => {
    const sizes = [200, 300, 5_000, 100, 100, 2_000, 100];
    let prefix: string;
    let all: RecordedEventText[];

    beforeAll(async () => {
      prefix = uniquePrefix('text-budget');
      const skipped = uniquePrefix('text-budget-other');
      for (const [i, size] of sizes.entries()) {
        await store().appendToStream(`${prefix}-${i}`, [newEvent('Sized', { pad: 'x'.repeat(size) })], { expectedRevision: 'no_stream' });
        // Events the filter leaves out count for nothing, however large.
        await store().appendToStream(`${skipped}-${i}`, [newEvent('Other', { pad: 'y'.repeat(10_000) })], { expectedRevision: 'no_stream' });
      }
      all = await store().readAllText({ filter: { streamPrefixes: [prefix] } });
      expect(all).toHaveLength(sizes.length);
    });

    const read = (after: bigint | undefined, maxChars: number, maxCount?: number): Promise<RecordedEventText[]> =>
      store().readAllText({ after, maxChars, maxCount, filter: { streamPrefixes: [prefix] } });

    it('ends a page before the event that would take its text past maxChars', async () => {
      const upToThird = chars(all[0]) + chars(all[1]) + chars(all[2]);
      expect(ids(await read(undefined, upToThird - 1))).toEqual(ids(all.slice(0, 2)));
      expect(ids(await read(undefined, upToThird))).toEqual(ids(all.slice(0, 3)));
      expect(await read(undefined, upToThird)).toEqual(all.slice(0, 3));
    });

    it('always holds the first event, however large', async () => {
      expect(ids(await read(all[1].position, 10))).toEqual([all[2].id]);
      expect(ids(await read(undefined, 1))).toEqual([all[0].id]);
    });

    it('still stops at maxCount', async () => {
      expect(ids(await read(undefined, 1_000_000, 2))).toEqual(ids(all.slice(0, 2)));
    });

    it('read on from each page until one is empty, gives every event once, in order', async () => {
      for (const maxChars of [1, 500, 2_500, 6_000, 1_000_000]) {
        const pages: RecordedEventText[][] = [];
        let after: bigint | undefined;
        for (;;) {
          const page = await read(after, maxChars);
          if (page.length === 0) break;
          expect(ids(page)).toEqual(ids(expectedPage(all.filter((e) => after === undefined || e.position > after), maxChars)));
          pages.push(page);
          after = page[page.length - 1].position;
        }
        expect(ids(pages.flat())).toEqual(ids(all));
      }
    });

    it('refuses a maxChars that is not a positive safe integer', async () => {
      for (const maxChars of [0, -1, 1.5, Number.NaN, 2 ** 60]) await expect(read(undefined, maxChars)).rejects.toThrow(RangeError);
    });
  });

  describe('readAllText with maxChars, over many events and non-ASCII text', () => {
    /** Every page from the start, read on from each page's last event until one is empty. */
    async function pagesOf(prefix: string, maxChars: number, maxCount?: number): Promise<RecordedEventText[][]> {
      const pages: RecordedEventText[][] = [];
      let after: bigint | undefined;
      for (;;) {
        const page = await store().readAllText({ after, maxChars, maxCount, filter: { streamPrefixes: [prefix] } });
        if (page.length === 0) return pages;
        pages.push(page);
        after = page[page.length - 1].position;
      }
    }

    it('cuts pages of more events than a store fetches at a time, exactly where the text runs out', async () => {
      const prefix = uniquePrefix('text-budget-many');
      await store().appendToStream(prefix, Array.from({ length: 70 }, (_, i) => newEvent('Small', { i, pad: 'z'.repeat(50 + (i % 7)) })), { expectedRevision: 'no_stream' });
      const all = await store().readAllText({ filter: { streamPrefixes: [prefix] } });
      const maxChars = all.slice(0, 45).reduce((n, e) => n + chars(e), 0);
      const pages = await pagesOf(prefix, maxChars);
      expect(pages[0]).toEqual(all.slice(0, 45));
      let from = 0;
      for (const page of pages) {
        expect(ids(page)).toEqual(ids(expectedPage(all.slice(from), maxChars)));
        from += page.length;
      }
      expect(from).toBe(70);
    });

    it('never holds more than maxChars of non-ASCII text in a page of several events, and misses none', async () => {
      const prefix = uniquePrefix('text-budget-unicode');
      const texts = ['é'.repeat(300), '🚀'.repeat(200), '東京'.repeat(150), 'plain'.repeat(60), '👩‍💻'.repeat(80), 'ß'.repeat(500)];
      for (const [i, text] of texts.entries()) await store().appendToStream(`${prefix}-${i}`, [newEvent('Unicode', { text })], { expectedRevision: 'no_stream' });
      const all = await store().readAllText({ filter: { streamPrefixes: [prefix] } });
      for (const maxChars of [700, 1_500, 3_000]) {
        const pages = await pagesOf(prefix, maxChars);
        for (const page of pages) if (page.length > 1) expect(page.reduce((n, e) => n + chars(e), 0)).toBeLessThanOrEqual(maxChars);
        expect(pages.flat()).toEqual(all);
      }
    });
  });
}
