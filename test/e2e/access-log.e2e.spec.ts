import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { graphql } from '../support/graphql-client';

interface AccessRecord {
  caller: { client: string; keyId: string; kind: string };
  operation: string;
  parameters: Record<string, unknown>;
  status: number;
  records: number;
  at: string;
  position: number;
}

/** Every read of decision data is in the access log, with who, what, which filters or ids, how many records. */
describe('the access log', () => {
  let engine: RunningEngine;
  let auditor: string;
  let analyst: string;
  let decider: string;
  const ask = async (key: string, path: string) => fetch(engine.url + path, { headers: { authorization: `Bearer ${key}` } });
  // Listings start at the suite's first day (UTC), which the default (today) would drop after midnight.
  const since = new Date().toISOString().slice(0, 10);
  const accessLog = async (query = ''): Promise<{ items: AccessRecord[]; nextCursor: string | null }> =>
    (await ask(auditor, `/v1/audit/access?from=${since}${query}`)).json() as never;

  beforeAll(async () => {
    engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
    auditor = await engine.createKey('audit-desk', ['audit']);
    analyst = await engine.createKey('fraud-analytics', ['analyze']);
    decider = await engine.createKey('checkout', ['decide']);
  });
  afterAll(() => engine?.stop());

  it("records an auditor's and an analyst's reads, REST and GraphQL, and not a decision system's writes", async () => {
    const made = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${engine.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${decider}` }, body: JSON.stringify(decisionRequest({ cardId: 'card-logged' })) });
      made.push((await res.json()) as { decisionId: string; position: number });
    }
    await engine.caughtUp(made[2]!.position);
    expect((await ask(auditor, `/v1/decisions/${made[0]!.decisionId}`)).status).toBe(200);
    expect((await ask(auditor, `/v1/decisions/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await ask(analyst, '/v1/decisions?cardId=card-logged&limit=10')).status).toBe(200);
    const gql = await graphql({ url: engine.url, adminKey: analyst }, 'query CardHistory($c: String) { decisions(first: 5, filter: { cardId: $c }) { edges { node { decisionId } } } }', { c: 'card-logged' }, 'CardHistory');
    expect(gql.body.errors).toBeUndefined();

    const { items } = await accessLog();
    const mine = items.filter((r) => r.caller.client !== 'admin');
    expect(mine.map((r) => [r.caller.client, r.operation, r.status, r.records])).toEqual([
      ['audit-desk', 'GET /v1/decisions/:decisionId', 200, 1],
      ['audit-desk', 'GET /v1/decisions/:decisionId', 404, 0],
      ['fraud-analytics', 'GET /v1/decisions', 200, 3],
      ['fraud-analytics', 'graphql:CardHistory.decisions', 200, 3],
    ]);
    expect(mine[0]!.parameters).toEqual({ decisionId: made[0]!.decisionId });
    // A card id in a filter is kept as its pseudonym, the value the decisions' events hold: the access log is
    // immutable, and must not keep in the clear what an erasure takes away.
    const { transactionId } = (await (await ask(auditor, `/v1/decisions/${made[0]!.decisionId}`)).json()) as { transactionId: string };
    const [decided] = await engine.store.readStream(`decision-${transactionId}`);
    const pseudonym = (decided!.data as { request: { cardId: string } }).request.cardId;
    expect(pseudonym).toMatch(/^ps_/);
    expect(mine[2]!.parameters).toEqual({ cardId: pseudonym, limit: '10' });
    expect(mine[3]!.parameters).toMatchObject({ first: 5, filter: { cardId: pseudonym } });
    const everything = await engine.store.readAll({ maxCount: 100_000 });
    expect(everything.filter((e) => JSON.stringify([e.data, e.metadata]).includes('card-logged')).map((e) => e.type)).toEqual([]);
    expect(mine[0]!.caller).toEqual({ client: 'audit-desk', keyId: auditor.slice(4, 20), kind: 'api-key' });
    // The records are events of the log, each in the stream of its own day (UTC; the test may run across midnight).
    for (const record of mine) {
      const stream = await engine.store.readStream(`access-${record.at.slice(0, 10)}`);
      expect(stream.filter((e) => e.type === 'AccessRecorded' && e.position === BigInt(record.position))).toHaveLength(1);
    }
  });

  it('records exports, a refused one (400) too, as it records a refused decision list', async () => {
    expect((await ask(auditor, '/v1/exports/decisions?merchantId=m-export&format=xml')).status).toBe(400);
    expect((await ask(auditor, '/v1/decisions?limit=0')).status).toBe(400);
    const exported = await ask(auditor, '/v1/exports/decisions?merchantId=m-export&format=csv');
    expect(exported.status).toBe(200);
    await exported.text();
    const { items } = await accessLog('&client=audit-desk');
    expect(items.slice(-3).map((r) => [r.operation, r.status, r.records, r.parameters])).toEqual([
      ['GET /v1/exports/decisions', 400, 0, { merchantId: 'm-export', format: 'xml' }],
      ['GET /v1/decisions', 400, 0, { limit: '0' }],
      ['GET /v1/exports/decisions', 200, 0, { merchantId: 'm-export', format: 'csv' }],
    ]);
  });

  it('filters by client and pages with a cursor', async () => {
    const onlyAnalyst = await accessLog('&client=fraud-analytics');
    expect(onlyAnalyst.items.every((r) => r.caller.client === 'fraud-analytics')).toBe(true);
    expect(onlyAnalyst.items.length).toBeGreaterThanOrEqual(2);
    const first = await accessLog('&limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toMatch(/^\d{4}-\d{2}-\d{2}:\d+$/);
    const second = await accessLog(`&limit=1&cursor=${first.nextCursor}`);
    expect(second.items[0]!.position).toBeGreaterThan(first.items[0]!.position);
    const bad = await ask(auditor, '/v1/audit/access?from=yesterday');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: '/problems/invalid-query', errors: [{ path: '/from' }] });
    expect((await ask(analyst, '/v1/audit/access')).status).toBe(403);
  });
});
