import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { deriveKeys, DECISION_MADE, Pseudonymizer, TRANSACTION_LABELLED, type DecisionRequest } from '@verdict/domain';
import { AUDIT_PERIOD_SEALED } from '@verdict/domain/audit';
import { createSqliteEventStore, type EventStore, type ReadAllTextOptions } from '@verdict/event-store';
import type { DecisionListFilter } from '../decisions/decision-queries.port';
import { EXPORT_PAGE_CHARS, exportChunks, type ExportVault, type LogSegment } from './export-chunks';

/*
 * The export over a real SQLite event store: the store's own type filter and page cut (readAllText with maxChars),
 * with the decisions interleaved with other events, as a live log holds labels and seals between decisions; some of
 * those are larger than a whole page, and some decisions a third of one (far beyond what request validation lets
 * in, to make the cut come from the text). export-personal-data.spec.ts covers the rows themselves.
 */

const vault: ExportVault = { pseudonyms: new Pseudonymizer(deriveKeys(Buffer.alloc(32, 9)).pseudonyms), fetchKeys: async () => new Map() };
const noSeals = { reach: async () => undefined, covering: () => null };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const jsonl = (text: string): any[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('exportChunks on a SQLite event store', () => {
  let dir: string;
  let store: EventStore;
  const fixture = new DecisionMadeFixture('exp');
  /** Each decision appended: its position, transaction and card. */
  const decisions: { position: bigint; transactionId: string; cardId: string }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-export-chunks-'));
    store = await createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
    // A third of a page of text per large event, so pages are cut by characters, not by count.
    const large = 'x'.repeat(Math.floor(EXPORT_PAGE_CHARS / 3));
    for (let i = 0; i < 40; i++) {
      const request: Partial<DecisionRequest> = { cardId: `card-${i % 4}`, ...(i % 5 === 0 ? { attributes: { note: large } } : {}) };
      const data = fixture.data({ request });
      const appended = await store.appendToStream(`decision-${data.transactionId}`, [{ id: randomUUID(), type: DECISION_MADE, data: data as unknown as Record<string, unknown> }], { expectedRevision: 'no_stream' });
      decisions.push({ position: appended.position, transactionId: data.transactionId, cardId: `card-${i % 4}` });
      // Between decisions: a label, and now and then an event larger than a whole page, which the export never reads.
      await store.appendToStream(`label-${i}`, [{ id: randomUUID(), type: TRANSACTION_LABELLED, data: { i } }], { expectedRevision: 'any' });
      if (i % 7 === 3) {
        await store.appendToStream(`other-${i}`, [{ id: randomUUID(), type: AUDIT_PERIOD_SEALED, data: { pad: 'y'.repeat(EXPORT_PAGE_CHARS + 10) } }], { expectedRevision: 'any' });
      }
    }
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The export's text, and the pages it read (their events' types and sizes in characters of text). */
  async function exported(segments: readonly LogSegment[], filter: DecisionListFilter = {}, format: 'jsonl' | 'csv' = 'jsonl') {
    const pages: { types: string[]; sizes: number[]; chars: number; options: ReadAllTextOptions | undefined }[] = [];
    const read = store.readAllText.bind(store);
    const spy = jest.spyOn(store, 'readAllText').mockImplementation(async (options) => {
      const page = await read(options);
      const sizes = page.map((e) => e.dataJson.length + e.metadataJson.length);
      pages.push({ types: page.map((e) => e.type), sizes, chars: sizes.reduce((n, c) => n + c, 0), options });
      return page;
    });
    try {
      let text = '';
      for await (const chunk of exportChunks(store, { segments, filter, format }, noSeals, vault)) text += chunk;
      return { text, pages };
    } finally {
      spy.mockRestore();
    }
  }

  it('exports every decision once, in position order, reading only decisions, in pages the store cut to EXPORT_PAGE_CHARS', async () => {
    const head = await store.headPosition();
    const { text, pages } = await exported([{ after: 0n, through: head }]);
    const rows = jsonl(text);
    expect(rows.map((r) => [BigInt(r.position), r.transactionId])).toEqual(decisions.map((d) => [d.position, d.transactionId]));
    for (const page of pages) {
      expect(page.options).toMatchObject({ maxChars: EXPORT_PAGE_CHARS, filter: { eventTypePrefixes: [DECISION_MADE] } });
      // Only decisions are read: the seals larger than a page between them are neither read nor counted.
      expect(page.types.every((t) => t === DECISION_MADE)).toBe(true);
      expect(page.chars).toBeLessThanOrEqual(EXPORT_PAGE_CHARS);
    }
    // Cut by the text, not early: each page but the last would have gone past EXPORT_PAGE_CHARS with the next
    // decision. The last read comes back empty.
    expect(pages.length).toBeGreaterThan(3);
    for (let i = 0; i < pages.length - 2; i++) expect(pages[i]!.chars + pages[i + 1]!.sizes[0]!).toBeGreaterThan(EXPORT_PAGE_CHARS);
    expect(pages.at(-1)!.types).toEqual([]);
  });

  it('keeps to its segments: a range that starts and ends between decisions, then one after a gap', async () => {
    const [a, b, c, d] = [decisions[3]!, decisions[17]!, decisions[25]!, decisions[38]!];
    const { text } = await exported([
      { after: a.position, through: b.position + 1n },
      { after: c.position - 1n, through: d.position },
    ]);
    const want = decisions.filter((x) => (x.position > a.position && x.position <= b.position) || (x.position >= c.position && x.position <= d.position));
    expect(jsonl(text).map((r) => r.transactionId)).toEqual(want.map((x) => x.transactionId));
  });

  it('filters the rows it reads, in JSONL and CSV alike', async () => {
    const head = await store.headPosition();
    const want = decisions.filter((x) => x.cardId === 'card-2').map((x) => x.transactionId);
    expect(want.length).toBe(10);
    const { text } = await exported([{ after: 0n, through: head }], { cardId: 'card-2' });
    expect(jsonl(text).map((r) => r.transactionId)).toEqual(want);
    const csv = (await exported([{ after: 0n, through: head }], { cardId: 'card-2' }, 'csv')).text.split('\r\n').filter(Boolean);
    expect(csv).toHaveLength(1 + want.length);
    for (const [i, tx] of want.entries()) expect(csv[i + 1]).toContain(tx);
  });
});
