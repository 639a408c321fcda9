import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { deriveKeys, envelopeValues, ERASED, upcastDecisionMade, protectRequest, Pseudonymizer, sealPersonal, type DecisionRequest, type PersonalValues, type PrivacyPolicy } from '@verdict/domain';
import type { EventStore, ReadAllTextOptions, RecordedEventText } from '@verdict/event-store';
import type { DecisionListFilter } from '../decisions/decision-queries.port';
import { EXPORT_PAGE, EXPORT_PAGE_CHARS, exportChunks, segmentsFor, type ExportVault } from './export-chunks';
import { CSV_COLUMNS, exportedDecision, revealStoredJson } from './export-rows';

/*
 * The export and personal data (docs/security.md, "Erasure"): rows show personal values in the clear while the
 * subject's key lives and ERASED once it is gone, never a pseudonym or the sealed envelope; filters take clear values
 * and find both DecisionMade v4 (pseudonyms) and older decisions (clear values).
 */

const pseudonyms = new Pseudonymizer(deriveKeys(Buffer.alloc(32, 9)).pseudonyms);
const POLICY: PrivacyPolicy = { cardIdsAreTokens: false, personalAttributes: ['email'] };

/** An event log in memory: readAllText is all the export reads. */
class Log {
  readonly texts: RecordedEventText[] = [];
  readonly live = new Map<string, PersonalValues>();
  reveals = 0;
  readonly keysAsked: string[] = [];
  private readonly fixture = new DecisionMadeFixture('tx');

  /** A decision as an engine before v4 stored it: request in the clear. */
  old(request: Partial<DecisionRequest>): void {
    this.append(this.fixture.data({ request }));
  }

  /** A decision as this build stores it (v4): pseudonyms, and the clear values sealed; `erased`: its key is gone. */
  protected_(request: Partial<DecisionRequest>, erased = false, policy = POLICY, keyId = 'k1'): void {
    const v1 = this.fixture.data({ request });
    const p = protectRequest(v1.request, policy, pseudonyms);
    if (!erased && p.personal) this.live.set(v1.decisionId, p.personal);
    const personal = p.personal && sealPersonal(p.personal, p.subject!.ref, { keyId: erased ? 'k-erased' : keyId, key: Buffer.alloc(32, 1) }, v1.decisionId);
    this.append({ ...v1, schemaVersion: 4, deployment: { revision: 1, arm: 'champion', bucket: null }, request: p.stored, ...(personal ? { personal } : {}) });
  }

  /** What each page read asked for, and what it got: its events and their characters of text. */
  readonly pages: { maxCount: number; maxChars: number | undefined; events: number; chars: number }[] = [];

  /** readAllText as the port defines it (the event-store contract tests the stores): maxCount and maxChars. */
  readonly store = {
    readAllText: async ({ after = 0n, maxCount = 1000, maxChars }: ReadAllTextOptions = {}) => {
      const page: RecordedEventText[] = [];
      let chars = 0;
      for (const t of this.texts) {
        if (t.position <= after) continue;
        const size = t.dataJson.length + t.metadataJson.length;
        if (page.length === maxCount || (page.length > 0 && maxChars !== undefined && chars + size > maxChars)) break;
        page.push(t);
        chars += size;
      }
      this.pages.push({ maxCount, maxChars, events: page.length, chars });
      return page;
    },
  } as unknown as EventStore;

  readonly vault: ExportVault = {
    pseudonyms,
    fetchKeys: async (ids) => {
      this.reveals++;
      this.keysAsked.push(...ids);
      return new Map(ids.filter((id) => id !== 'k-erased').map((id) => [id, Buffer.alloc(32, 1)]));
    },
  };

  async export(format: 'jsonl' | 'csv', filter: DecisionListFilter = {}): Promise<string> {
    const segments = [{ after: 0n, through: BigInt(this.texts.length) }];
    let text = '';
    for await (const chunk of exportChunks(this.store, { segments, filter, format }, { reach: async () => undefined, covering: () => null }, this.vault)) text += chunk;
    return text;
  }

  private append(data: object): void {
    const position = BigInt(this.texts.length + 1);
    this.texts.push({ id: `e${position}`, type: 'DecisionMade', streamId: `decision-${position}`, revision: 0n, position, recordedAt: new Date(), dataJson: JSON.stringify(data), metadataJson: '{}', canonical: false });
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const jsonl = (text: string): any[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l));

const LIVE = { cardId: 'card-live', customerId: 'cust-live', deviceId: 'dev-live', ip: '10.0.0.1', attributes: { email: 'live@example.com', tier: 'gold' } };
const GONE = { cardId: 'card-gone', customerId: 'cust-gone', deviceId: 'dev-gone', ip: '10.0.0.2', attributes: { email: 'gone@example.com', tier: 'gold' } };

describe('export rows and personal data', () => {
  it('writes JSONL with the clear values of a live subject and ERASED for an erased one, never a pseudonym or the envelope', async () => {
    const log = new Log();
    log.protected_(LIVE);
    log.protected_(GONE, true);
    const text = await log.export('jsonl');
    expect(text).not.toContain('ps_');
    expect(text).not.toContain('"personal"');
    const [live, gone] = jsonl(text);
    expect(live.request).toMatchObject(LIVE);
    expect(gone.request).toMatchObject({ cardId: ERASED, customerId: ERASED, deviceId: ERASED, ip: ERASED, attributes: { email: ERASED, tier: 'gold' } });
    expect(live).toMatchObject({ schemaVersion: 4, position: '1', seal: null, requestHash: expect.any(String) });
    // Every field the event has but `personal`, in the event's order.
    const stored = JSON.parse(log.texts[0].dataJson);
    expect(Object.keys(live)).toEqual([...Object.keys(stored).filter((k) => k !== 'personal'), 'position', 'seal']);
  });

  it('writes the CSV card and customer columns revealed', async () => {
    const log = new Log();
    log.protected_(LIVE);
    log.protected_(GONE, true);
    const [header, ...rows] = (await log.export('csv')).split('\r\n').filter(Boolean);
    const col = (name: string) => header.split(',').indexOf(name);
    expect(header.split(',')).toEqual(CSV_COLUMNS.map(([h]) => h));
    expect(rows.map((r) => [r.split(',')[col('cardId')], r.split(',')[col('customerId')]])).toEqual([
      [LIVE.cardId, LIVE.customerId],
      [ERASED, ERASED],
    ]);
  });

  it('shows decisions from before v4 as stored (clear, even a value that looks like a pseudonym) and reveals each page in one call', async () => {
    const log = new Log();
    for (let i = 0; i < EXPORT_PAGE + 10; i++) {
      if (i % 2 === 0) log.old({ cardId: `card-${i}`, customerId: 'ps_not-a-pseudonym' });
      else log.protected_({ cardId: `card-${i}`, customerId: `cust-${i}` });
    }
    const rows = jsonl(await log.export('jsonl'));
    expect(rows).toHaveLength(EXPORT_PAGE + 10);
    expect(log.pages.map((p) => [p.maxCount, p.maxChars, p.events])).toEqual([
      [EXPORT_PAGE, EXPORT_PAGE_CHARS, EXPORT_PAGE],
      [EXPORT_PAGE, EXPORT_PAGE_CHARS, 10],
    ]);
    expect(log.reveals).toBe(log.pages.length);
    expect(rows[0].request.customerId).toBe('ps_not-a-pseudonym');
    expect(rows[0].schemaVersion).toBe(4);
    expect(rows[1].request).toMatchObject({ cardId: 'card-1', customerId: 'cust-1' });
    // A v4 decision with nothing personal in it is its stored text, position and seal appended.
    const plain = new Log();
    plain.protected_({ cardId: 'card-x', customerId: undefined }, false, { cardIdsAreTokens: true, personalAttributes: [] });
    const stored = plain.texts[0].dataJson;
    expect(stored).not.toContain('"personal"');
    expect(await plain.export('jsonl')).toBe(`${stored.slice(0, -1)},"position":"1","seal":null}\n`);
    expect(plain.reveals).toBe(0);
  });

  it('reads pages of at most EXPORT_PAGE_CHARS of text whatever the size of the events, so an export holds a bounded amount', async () => {
    const log = new Log();
    // Small decisions, then a run of requests at their limit: 50 attributes of 1,024 characters, ~55 KB of text an
    // event. A page sized by the events before it would take hundreds of the large ones.
    for (let i = 0; i < 300; i++) log.old({ cardId: `card-${i}` });
    const attributes = Object.fromEntries(Array.from({ length: 50 }, (_, k) => [`a${k}`, String(k).padEnd(1024, 'x')]));
    for (let i = 300; i < 600; i++) log.old({ cardId: `card-${i}`, attributes });
    const largest = Math.max(...log.texts.map((t) => t.dataJson.length));
    expect(largest).toBeGreaterThan(50_000);
    expect(jsonl(await log.export('jsonl'))).toHaveLength(600);
    for (const page of log.pages) {
      expect(page).toMatchObject({ maxCount: EXPORT_PAGE, maxChars: EXPORT_PAGE_CHARS });
      expect(page.chars).toBeLessThanOrEqual(EXPORT_PAGE_CHARS);
    }
    expect(log.pages.reduce((n, p) => n + p.events, 0)).toBe(600);
    // The pages of large events are full: as many as fit, not fewer.
    expect(Math.max(...log.pages.map((p) => p.events))).toBeGreaterThan(300);
    expect(log.pages.at(-2)!.chars + largest).toBeGreaterThan(EXPORT_PAGE_CHARS);
  });

  it('fetches the keys of the rows a filter may pass, not of every row it reads past', async () => {
    const log = new Log();
    for (let i = 0; i < 6; i++) log.protected_({ ...LIVE, cardId: `card-${i % 3}`, merchantId: `m-${i % 2}` }, false, POLICY, `k-${i}`);
    const rows = jsonl(await log.export('jsonl', { cardId: 'card-1' }));
    expect(rows.map((r) => r.request.cardId)).toEqual(['card-1', 'card-1']);
    expect(log.keysAsked.sort()).toEqual(['k-1', 'k-4']);
    log.keysAsked.length = 0;
    expect(jsonl(await log.export('jsonl', { cardId: 'card-1', merchantId: 'm-0' })).map((r) => r.request.merchantId)).toEqual(['m-0']);
    expect(log.keysAsked).toEqual(['k-4']);
  });

  it('opens an envelope whose key id the text does not name plainly (fetched on its own), and not one that was altered', async () => {
    const log = new Log();
    log.protected_(LIVE);
    log.protected_(LIVE);
    const escaped = log.texts[0]!;
    log.texts[0] = { ...escaped, dataJson: escaped.dataJson.replace('"keyId":"k1"', '"keyId":"k\\u0032"') }; // k2, which no text names plainly
    const altered = log.texts[1]!;
    log.texts[1] = { ...altered, dataJson: altered.dataJson.replace(/"data":"(.)/, (_m, c: string) => `"data":"${c === 'A' ? 'B' : 'A'}`) };
    for (const format of ['jsonl', 'csv'] as const) {
      const before = log.reveals;
      const text = await log.export(format);
      expect(log.reveals - before).toBe(2); // the page's hinted key (row 2), then row 1's, which the hint missed
      const cards = format === 'jsonl' ? jsonl(text).map((r) => r.request.cardId) : text.split('\r\n').slice(1, -1).map((l) => l.split(',')[4]);
      expect(cards).toEqual([LIVE.cardId, ERASED]);
    }
  });

  it('filters on clear card and customer ids: v4 decisions by their pseudonyms, older ones by their clear values, erased ones never', async () => {
    const log = new Log();
    log.old({ cardId: LIVE.cardId, customerId: LIVE.customerId });
    log.protected_(LIVE);
    log.protected_({ ...LIVE, cardId: 'card-other' });
    log.protected_(GONE, true);
    log.old({ cardId: GONE.cardId, customerId: GONE.customerId });
    const positions = async (filter: DecisionListFilter) => jsonl(await log.export('jsonl', filter)).map((r) => r.position);
    expect(await positions({ cardId: LIVE.cardId })).toEqual(['1', '2']);
    expect(await positions({ customerId: LIVE.customerId })).toEqual(['1', '2', '3']);
    expect(await positions({ cardId: LIVE.cardId, customerId: LIVE.customerId })).toEqual(['1', '2']);
    // The erased subject's v4 rows show ERASED, so a filter on its clear ids finds only what is still in the clear.
    expect(await positions({ cardId: GONE.cardId })).toEqual(['5']);
    expect(await positions({ customerId: GONE.customerId })).toEqual(['5']);
    expect(await positions({ cardId: ERASED })).toEqual([]);
    const csv = (await log.export('csv', { customerId: LIVE.customerId })).split('\r\n').filter(Boolean);
    expect(csv).toHaveLength(4);
  });

  it('finds card ids kept in the clear as tokens, in v4 decisions too', async () => {
    const log = new Log();
    const tokens = { cardIdsAreTokens: true, personalAttributes: [] };
    log.protected_({ cardId: 'tok-1', customerId: 'cust-t' }, false, tokens);
    log.protected_({ cardId: 'tok-1', customerId: 'cust-u' }, true, tokens);
    const rows = jsonl(await log.export('jsonl', { cardId: 'tok-1' }));
    expect(rows.map((r) => [r.request.cardId, r.request.customerId])).toEqual([
      ['tok-1', 'cust-t'],
      ['tok-1', ERASED],
    ]);
  });
});

describe('the stored text of a v4 decision, revealed in place', () => {
  const log = new Log();
  log.protected_({ ...LIVE, attributes: { email: 'x@example.com', tier: 'gold', personal: 'ps_not-ours' } }, false, { ...POLICY, personalAttributes: ['email'] });
  const text = log.texts[0].dataJson;
  const event = upcastDecisionMade(JSON.parse(text));
  const spaced = JSON.stringify(JSON.parse(text), null, 1).replace(/\n\s*/g, ' ').replace(/([{[]) /g, '$1').replace(/ ([}\]])/g, '$1');

  it('reads the same as the event written again, canonical or in jsonb\'s spacing, live or erased', () => {
    for (const stored of [text, spaced]) {
      for (const clear of [envelopeValues(event.request, log.live.get(event.decisionId)), new Map<string, string>()]) {
        const json = revealStoredJson(stored, event.request, clear);
        expect(json).toBeDefined();
        expect(JSON.parse(json!)).toEqual(exportedDecision(event, clear));
      }
    }
    expect(revealStoredJson(text, event.request, envelopeValues(event.request, log.live.get(event.decisionId)))).not.toContain('ps_0');
  });

  it('gives up (the caller writes the event again) when the text is not plain enough', () => {
    const card = event.request.cardId;
    const clear = envelopeValues(event.request, log.live.get(event.decisionId));
    expect(revealStoredJson(text.replace('"personal":{', '"sealed":{'), event.request, clear)).toBeUndefined();
    expect(revealStoredJson(text.replace('"decidedAt":', `"other":"${card}","decidedAt":`), event.request, clear)).toBeUndefined();
    expect(revealStoredJson(text, event.request, new Map([[card, '42']]))).toBeUndefined();
    // A pseudonym of the request missing from the text, or a longer one that merely starts like it.
    expect(revealStoredJson(text.replace(`"${card}"`, '"ps_other"'), event.request, clear)).toBeUndefined();
    expect(revealStoredJson(text.replace(`"${card}"`, `"${card}x"`), event.request, clear)).toBeUndefined();
  });
});

describe('export segments from the read model ranges', () => {
  const range = (projectedThrough: bigint, first: bigint | null, last: bigint | null, count = 1) => ({ projectedThrough, first, last, count });

  it('reads one range, then the unprojected tail', () => {
    expect(segmentsFor([range(100n, 10n, 50n)], 120n)).toEqual([
      { after: 9n, through: 50n },
      { after: 100n, through: 120n },
    ]);
    expect(segmentsFor([range(100n, null, null, 0)], 100n)).toEqual([]);
    expect(segmentsFor([range(80n, 10n, 50n)], 40n)).toEqual([{ after: 9n, through: 40n }]);
  });

  it('covers both forms of a filter (pseudonym and clear) in one segment, never reading a position twice', () => {
    expect(segmentsFor([range(100n, 60n, 90n), range(100n, 5n, 20n)], 130n)).toEqual([
      { after: 4n, through: 90n },
      { after: 100n, through: 130n },
    ]);
    // The checkpoint moved between the two queries: the tail starts after the earlier one, or after the range.
    expect(segmentsFor([range(100n, 60n, 90n), range(110n, 5n, 105n)], 130n)).toEqual([
      { after: 4n, through: 105n },
      { after: 105n, through: 130n },
    ]);
    expect(segmentsFor([range(100n, null, null, 0), range(100n, 5n, 20n)], 100n)).toEqual([{ after: 4n, through: 20n }]);
  });
});
