import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { e2eTopologies } from '../support/topologies';

interface ItemResult {
  index: number;
  status: number;
  decision?: { decisionId: string; transactionId: string; outcome: string; score: number; position: number };
  correlationId?: string;
  problem?: { type: string; status: number; errors?: { path: string; message: string }[] };
}

describe.each(e2eTopologies())('batch decisions over HTTP ($name)', (topology) => {
  let engine: RunningEngine;

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env());
  });
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  const batch = async (items: unknown[]) => {
    const res = await engine.post('/v1/decisions/batch', { items });
    return { status: res.status, body: (await res.json()) as { results: ItemResult[] } };
  };
  const head = async () => Number(await engine.store.headPosition());

  it('decides 1000 items in one request, each recorded before the answer, exactly as single commands decide them', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => decisionRequest({ amount: 5 + i * 3.25, cardId: `card-b-${i % 37}` }));
    const { status, body } = await batch(items);
    expect(status).toBe(200);
    expect(body.results.map((r) => [r.index, r.status])).toEqual(items.map((_, i) => [i, 201]));
    const first = Math.min(...body.results.map((r) => Number(r.decision?.position)));
    const stored = new Map<string, { position: bigint; decisionId: unknown }>();
    for (let after = BigInt(first - 1); stored.size < 1000; ) {
      const page = await engine.store.readAll({ after, maxCount: 1000, filter: { eventTypePrefixes: ['DecisionMade'] } });
      if (page.length === 0) break;
      for (const e of page) stored.set(e.streamId, { position: e.position, decisionId: e.data.decisionId });
      after = page[page.length - 1]!.position;
    }
    for (const [i, r] of body.results.entries()) {
      expect(r.decision?.transactionId).toBe(items[i]?.transactionId);
      const event = stored.get(`decision-${String(items[i]?.transactionId)}`);
      expect(event?.decisionId).toBe(r.decision?.decisionId);
      expect(Number(event?.position)).toBe(r.decision?.position);
    }
    // The same requests one by one are retries now: each answers 200 with the batch's decision, bit for bit.
    for (const i of [0, 499, 999]) {
      const single = await engine.post('/v1/decisions', items[i]);
      expect(single.status).toBe(200);
      expect(await single.json()).toEqual(body.results[i]?.decision);
    }
  });

  it('gives each item a single command status: new 201, repeat 200, different body 409, invalid 400 — in order', async () => {
    const decided = decisionRequest();
    await engine.post('/v1/decisions', decided);
    const fresh = decisionRequest();
    const before = await head();
    const res = await engine.post('/v1/decisions/batch', { items: [
      fresh,
      decided,
      { ...decided, amount: Number(decided.amount) + 1 },
      { ...decisionRequest(), currency: 'euro', extra: 1 },
      'not an object',
      { ...fresh }, // the same transaction again in the same batch: a retry of item 0
      { ...fresh, amount: 1 }, // and with another body: a conflict with item 0
    ] });
    const { status } = res;
    const body = (await res.json()) as { results: ItemResult[] };
    expect(status).toBe(200);
    expect(body.results.map((r) => r.status)).toEqual([201, 200, 409, 400, 400, 200, 409]);
    expect(body.results[2]?.problem?.type).toMatch(/idempotency-conflict$/);
    expect(body.results[3]?.problem?.errors).toEqual(
      expect.arrayContaining([
        { path: '/items/3/currency', message: expect.any(String) },
        { path: '/items/3/extra', message: 'is not an allowed field' },
      ]),
    );
    expect(body.results[4]?.problem?.errors).toEqual([{ path: '/items/4', message: 'must be a JSON object' }]);
    expect(body.results[5]?.decision).toEqual(body.results[0]?.decision);
    // Each decided item names the id its decision was recorded under: this batch's, or the original request's.
    const batchId = res.headers.get('x-correlation-id');
    const [original] = await engine.store.readStream(`decision-${String(decided.transactionId)}`);
    expect(original?.metadata.correlationId).toEqual(expect.any(String));
    expect(original?.metadata.correlationId).not.toBe(batchId);
    expect(body.results.map((r) => r.correlationId)).toEqual([batchId, original?.metadata.correlationId, undefined, undefined, undefined, batchId, undefined]);
    expect(await head()).toBeGreaterThanOrEqual(before + 1);
    expect(await engine.store.readStream(`decision-${String(fresh.transactionId)}`)).toHaveLength(1);
  });

  it('writes nothing for a batch of invalid items, and refuses a bad envelope with a 400 problem', async () => {
    const before = await head();
    const { status, body } = await batch([{ amount: -1 }, {}]);
    expect(status).toBe(200);
    expect(body.results.map((r) => r.status)).toEqual([400, 400]);
    // Nothing recorded: no correlation id is made up (the caller's own comes back); a batch that records names its id.
    const invalidOnly = await engine.post('/v1/decisions/batch', { items: [{}] });
    expect(invalidOnly.headers.get('x-correlation-id')).toBeNull();
    expect((await engine.post('/v1/decisions/batch', { items: [{}] }, { 'x-correlation-id': 'batch-7' })).headers.get('x-correlation-id')).toBe('batch-7');
    expect(await head()).toBe(before);
    const recorded = await engine.post('/v1/decisions/batch', { items: [decisionRequest()] });
    const id = recorded.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [item] = ((await recorded.json()) as { results: { decision: { transactionId: string } }[] }).results;
    expect((await engine.store.readStream(`decision-${item!.decision.transactionId}`))[0]?.metadata.correlationId).toBe(id);
    const afterRecorded = await head();
    for (const bad of [{ items: [] }, { items: 'x' }, { items: [decisionRequest()], more: 1 }, [decisionRequest()]]) {
      const res = await engine.post('/v1/decisions/batch', bad);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const tooMany = await engine.post('/v1/decisions/batch', { items: Array.from({ length: 1001 }, () => decisionRequest()) });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).errors[0].path).toBe('/items');
    expect(await head()).toBe(afterRecorded);
  });

  it('takes bodies up to 8 MiB and answers a larger one 413', async () => {
    const padded = Array.from({ length: 1000 }, () => decisionRequest({ attributes: { note: 'x'.repeat(1000) } }));
    const ok = await engine.post('/v1/decisions/batch', { items: padded });
    expect(ok.status).toBe(200);
    const huge = Array.from({ length: 1000 }, () => decisionRequest({ attributes: Object.fromEntries(Array.from({ length: 9 }, (_, k) => [`k${k}`, 'y'.repeat(1000)])) }));
    const res = await engine.post('/v1/decisions/batch', { items: huge });
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toContain("this route's size limit of 8 MiB");
  });

  it('answers concurrent single commands and a batch for the same transactions once each', async () => {
    const items = Array.from({ length: 20 }, () => decisionRequest());
    const [batchRes, ...singles] = await Promise.all([batch(items), ...items.slice(0, 10).map((b) => engine.post('/v1/decisions', b))]);
    const singleStatuses = singles.map((r) => r.status);
    const created = batchRes.body.results.filter((r) => r.status === 201).length + singleStatuses.filter((s) => s === 201).length;
    expect(created).toBe(20);
    expect([...batchRes.body.results.map((r) => r.status), ...singleStatuses].every((s) => s === 200 || s === 201)).toBe(true);
    for (const b of items) expect(await engine.store.readStream(`decision-${String(b.transactionId)}`)).toHaveLength(1);
  });
});
