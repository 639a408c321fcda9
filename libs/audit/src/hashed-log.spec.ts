import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteEventStore, type EventStore, type RecordedEventText } from '@verdict/event-store';
import { hashedRange, hashOf, READ_PAGE_CHARS } from './hashed-log';

describe('hashedRange', () => {
  let dir: string;
  let store: EventStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-hashed-log-'));
    store = await createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a range of large events in pages of at most READ_PAGE_CHARS of text, and hashes each event once, in order', async () => {
    const size = Math.floor(READ_PAGE_CHARS / 3.5);
    for (let i = 0; i < 9; i++) {
      await store.appendToStream(`large-${i}`, [{ id: randomUUID(), type: 'Large', data: { i, pad: 'x'.repeat(size) } }], { expectedRevision: 'no_stream' });
    }
    const events = await store.readAllText({ maxCount: 100 });
    const pages: RecordedEventText[][] = [];
    const read = store.readAllText.bind(store);
    jest.spyOn(store, 'readAllText').mockImplementation(async (options) => {
      const page = await read(options);
      pages.push(page);
      return page;
    });
    const hashed = [];
    for await (const page of hashedRange(store, events[0].position - 1n, events[8].position)) hashed.push(...page);
    expect(hashed).toEqual(events.map(hashOf));
    // Three of these events fit a page. Without maxChars one page would have held all nine, ~10 M characters.
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3]);
    for (const page of pages) expect(page.reduce((n, e) => n + e.dataJson.length + e.metadataJson.length, 0)).toBeLessThanOrEqual(READ_PAGE_CHARS);
    // A range that ends inside a page, and one whose first event alone is larger than a page's text.
    const upToFifth = [];
    for await (const page of hashedRange(store, events[0].position - 1n, events[4].position)) upToFifth.push(...page);
    expect(upToFifth).toEqual(events.slice(0, 5).map(hashOf));
    await store.appendToStream('huge', [{ id: randomUUID(), type: 'Large', data: { pad: 'y'.repeat(READ_PAGE_CHARS + 10) } }], { expectedRevision: 'no_stream' });
    const [huge] = await store.readAllText({ after: events[8].position });
    const tail = [];
    for await (const page of hashedRange(store, events[7].position, huge!.position)) tail.push(...page);
    expect(tail).toEqual([events[8], huge!].map(hashOf));
  });
});
