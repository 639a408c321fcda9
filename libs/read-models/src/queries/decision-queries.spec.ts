import { applyProjectionBatch } from '../projections/apply-projection-batch';
import { DecisionHistoryProjection } from '../projections/decision-history.projection';
import { InvalidCursorError, InvalidDecisionFilterError, ReadModelErrorCode } from '../read-model.errors';
import { DecisionMadeFixture } from '../testing/decision-made.fixture';
import { readModelTestTargets, type TestReadModel } from '../testing/read-model-test-targets';
import { encodeDecisionCursor } from './decision-cursor';
import { DecisionQueries, type DecisionListFilter } from './decision-queries';
import type { DecisionSummary } from './decision-summary';

describe.each(readModelTestTargets())('decision queries on $kind', (target) => {
  let model: TestReadModel;
  let queries: DecisionQueries;
  let fixture: DecisionMadeFixture;
  let checkpoint: bigint;
  const projection = new DecisionHistoryProjection();

  /** Projects `count` decisions at the next positions (gaps of 2, as a store with other events would leave). */
  async function project(count: number): Promise<void> {
    const events = Array.from({ length: count }, (_, i) => fixture.recorded(checkpoint + BigInt(2 * (i + 1))));
    checkpoint = (await applyProjectionBatch(model.dataSource, projection, events, checkpoint)).checkpoint;
  }

  async function pages(filter: DecisionListFilter): Promise<DecisionSummary[][]> {
    const result: DecisionSummary[][] = [];
    let cursor = filter.cursor;
    do {
      const page = await queries.list({ ...filter, cursor });
      result.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return result;
  }

  beforeEach(async () => {
    model = await target.open();
    queries = new DecisionQueries(model.dataSource);
    fixture = new DecisionMadeFixture();
    checkpoint = 0n;
    await project(60);
  });
  afterEach(async () => {
    await model.dispose();
  });

  it('lists newest first (by position) with 50 by default, as plain JSON', async () => {
    const page = await queries.list({});
    expect(page.items).toHaveLength(50);
    const ps = page.items.map((i) => BigInt(i.position));
    expect(ps).toEqual([...ps].sort((a, b) => (a > b ? -1 : 1)));
    expect(ps[0]).toBe(120n);
    expect(JSON.parse(JSON.stringify(page))).toEqual(page);

    expect(page.items[0]).toEqual({
      arm: 'champion',
      deploymentRevision: 0,
      decisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      transactionId: 'tx-0060',
      streamId: 'decision-tx-0060',
      position: '120',
      cardId: 'card-0',
      customerId: 'customer-0',
      merchantId: 'merchant-0',
      amount: 10 + (60 % 17) * 3.25,
      currency: 'EUR',
      channel: 'ecom',
      country: 'DE',
      outcome: 'approve',
      score: 0,
      modelName: 'fraud-demo',
      modelVersion: '2026.01',
      modelSha256: 'a'.repeat(64),
      policyVersion: 'policy-7',
      occurredAt: '2026-01-15T10:00:59.750Z',
      decidedAt: '2026-01-15T10:01:00.000Z',
      recordedAt: '2026-01-15T10:01:00.005Z',
    });
  });

  it('pages through everything exactly once with opaque cursors', async () => {
    const all = await pages({ limit: 7 });
    expect(all.map((p) => p.length)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
    expect(all.flat().map((i) => i.transactionId)).toEqual(
      Array.from({ length: 60 }, (_, i) => `tx-${String(60 - i).padStart(4, '0')}`),
    );
    // The last page ends exactly at the limit: no phantom empty page.
    const exact = await pages({ limit: 30 });
    expect(exact.map((p) => p.length)).toEqual([30, 30]);
  });

  it('keeps pages stable while new decisions are appended between requests', async () => {
    const first = await queries.list({ limit: 10 });
    await project(5);
    const second = await queries.list({ limit: 10, cursor: first.nextCursor! });
    await project(5);
    const rest = await pages({ limit: 500, cursor: second.nextCursor! });
    const seen = [...first.items, ...second.items, ...rest.flat()].map((i) => i.transactionId);
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => `tx-${String(60 - i).padStart(4, '0')}`));
    // A new first page shows the appended ones.
    expect((await queries.list({ limit: 1 })).items[0].transactionId).toBe('tx-0070');
  });

  it.each<[string, DecisionListFilter, (d: DecisionSummary) => boolean]>([
    ['cardId', { cardId: 'card-1' }, (d) => d.cardId === 'card-1'],
    ['customerId', { customerId: 'customer-4' }, (d) => d.customerId === 'customer-4'],
    ['merchantId', { merchantId: 'merchant-2' }, (d) => d.merchantId === 'merchant-2'],
    ['outcome', { outcome: 'review' }, (d) => d.outcome === 'review'],
    [
      'from/to (half-open on decidedAt)',
      { from: new Date('2026-01-15T10:00:10.000Z'), to: new Date('2026-01-15T10:00:20.000Z') },
      (d) => d.decidedAt >= '2026-01-15T10:00:10.000Z' && d.decidedAt < '2026-01-15T10:00:20.000Z',
    ],
    ['combined', { cardId: 'card-2', outcome: 'approve', from: new Date('2026-01-15T10:00:30.000Z') }, (d) =>
      d.cardId === 'card-2' && d.outcome === 'approve' && d.decidedAt >= '2026-01-15T10:00:30.000Z'],
  ])('filters by %s, across pages', async (_, filter, predicate) => {
    const everything = (await pages({ limit: 500 })).flat();
    const expected = everything.filter(predicate).map((d) => d.decisionId);
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(60);
    const got = (await pages({ ...filter, limit: 3 })).flat().map((d) => d.decisionId);
    expect(got).toEqual(expected);
  });

  it('returns an empty page for a filter that matches nothing', async () => {
    expect(await queries.list({ cardId: 'nobody' })).toEqual({ items: [], nextCursor: null });
  });

  it('accepts limits 1..500 and refuses others with a typed error', async () => {
    expect((await queries.list({ limit: 1 })).items).toHaveLength(1);
    expect((await queries.list({ limit: 500 })).items).toHaveLength(60);
    for (const limit of [0, -1, 501, 2.5, Number.NaN]) {
      await expect(queries.list({ limit })).rejects.toBeInstanceOf(InvalidDecisionFilterError);
    }
    await expect(queries.list({ from: new Date('nope') })).rejects.toMatchObject({ code: ReadModelErrorCode.InvalidFilter, field: 'from' });
    await expect(queries.list({ outcome: 'maybe' as never })).rejects.toMatchObject({ field: 'outcome' });
  });

  it('refuses cursors it did not hand out with InvalidCursorError', async () => {
    const bad = ['', 'not base64!', Buffer.from('abc').toString('base64url'), Buffer.from('0').toString('base64url'),
      Buffer.from('007').toString('base64url'), Buffer.from('-5').toString('base64url'), 'MTIz=', 'x'.repeat(200),
      Buffer.from('99999999999999999999').toString('base64url'),
      // Past a signed 64-bit integer, which the stores cannot bind (it was a 500).
      Buffer.from('9223372036854775808').toString('base64url')];
    for (const cursor of bad) {
      await expect(queries.list({ cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
    await expect(queries.list({ cursor: 'garbage' })).rejects.toMatchObject({ code: ReadModelErrorCode.InvalidCursor });
    // A well-formed cursor past the beginning of time is simply the end of the list.
    expect(await queries.list({ cursor: encodeDecisionCursor(1n) })).toEqual({ items: [], nextCursor: null });
    // And one at the largest position the stores hold is the start.
    expect((await queries.list({ cursor: encodeDecisionCursor(2n ** 63n - 1n), limit: 1 })).items).toHaveLength(1);
  });

  it('finds where a decision lives, or null', async () => {
    const [newest] = (await queries.list({ limit: 1 })).items;
    expect(await queries.findLocation(newest.decisionId)).toEqual({
      decisionId: newest.decisionId,
      transactionId: newest.transactionId,
      streamId: newest.streamId,
      position: 120n,
    });
    expect(await queries.findLocation('00000000-0000-0000-0000-000000000000')).toBeNull();
  });
});
