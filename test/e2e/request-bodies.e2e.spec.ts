import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';

const rawPost = (engine: RunningEngine, path: string, text: string) =>
  fetch(engine.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${engine.adminKey}` }, body: text });

/** What a body may hold: text every store keeps as sent, and no batch item larger than its own command may be. */
describe('request bodies', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
  });
  afterAll(() => engine?.stop());

  it('refuses a lone UTF-16 surrogate or a NUL, naming where it is, and writes nothing', async () => {
    const head = await engine.store.headPosition();
    const request = decisionRequest();
    // JSON.stringify escapes a lone surrogate, so this is exactly the text a client would send.
    const single = await rawPost(engine, '/v1/decisions', JSON.stringify({ ...request, cardId: 'card\ud800' }));
    expect(single.status).toBe(400);
    expect(await single.json()).toMatchObject({ type: '/problems/validation-failed', errors: [{ path: '/cardId', message: expect.stringContaining('lone UTF-16 surrogate') }] });
    const nul = await rawPost(engine, '/v1/decisions', JSON.stringify({ ...decisionRequest(), attributes: { note: 'a\u0000b' } }));
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ errors: [{ path: '/attributes/note', message: expect.stringContaining('U+0000') }] });
    expect(await engine.store.headPosition()).toBe(head);
    // A pair is one character, taken as sent; so is the text of an escaped backslash that looks like an escape.
    const paired = await rawPost(engine, '/v1/decisions', JSON.stringify({ ...request, cardId: 'card\ud83d\ude00', attributes: { note: '\\ud800' } }));
    expect(paired.status).toBe(201);
    expect((await engine.get(`/v1/transactions/${request.transactionId as string}/decision`)).status).toBe(200);
  });

  it('fails only the batch item or label that holds such text, as any invalid item', async () => {
    const head = await engine.store.headPosition();
    const good = decisionRequest();
    const batch = await rawPost(engine, '/v1/decisions/batch', JSON.stringify({ items: [good, { ...decisionRequest(), attributes: { ['k\udc00']: 1 } }] }));
    expect(batch.status).toBe(200);
    const { results } = (await batch.json()) as { results: { status: number; problem?: { errors: unknown[] } }[] };
    expect(results.map((r) => r.status)).toEqual([201, 400]);
    expect(results[1]!.problem!.errors).toEqual([expect.objectContaining({ path: '/items/1/attributes/k\udc00', message: expect.stringContaining('lone UTF-16 surrogate') })]);
    expect(await engine.store.headPosition()).toBe(head + 1n);
    const label = (labelId: string, note: string) => ({ transactionId: good.transactionId, labelId, label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T00:00:00Z', note });
    const labels = await rawPost(engine, '/v1/labels/batch', JSON.stringify({ labels: [label('nul', 'a\u0000b'), label('fine', 'ok')] }));
    expect(labels.status).toBe(200);
    const answered = (await labels.json()) as { results: { status: number; problem?: { errors: unknown[] } }[] };
    expect(answered.results.map((r) => r.status)).toEqual([400, 201]);
    expect(answered.results[0]!.problem!.errors).toEqual([expect.objectContaining({ path: '/labels/0/note', message: expect.stringContaining('U+0000') })]);
  });

  it('answers a batch item larger than a single request may be with its 413, and decides the others', async () => {
    // 50 attributes of 1,024 characters of 3 bytes each: ~155 KB as compact JSON, valid by the schema.
    const attributes = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, '字'.repeat(1024)]));
    const big = decisionRequest({ attributes });
    expect((await engine.post('/v1/decisions', big)).status).toBe(413);
    const head = await engine.store.headPosition();
    const res = await engine.post('/v1/decisions/batch', { items: [big, decisionRequest()] });
    expect(res.status).toBe(200);
    const { results } = await res.json();
    expect(results.map((r: { status: number }) => r.status)).toEqual([413, 201]);
    expect(results[0].problem).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
    expect(await engine.store.headPosition()).toBe(head + 1n);
    // Within the limit, the same text decides.
    const fits = decisionRequest({ attributes: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`a${i}`, '字'.repeat(1000)])) });
    const ok = await engine.post('/v1/decisions/batch', { items: [fits] });
    expect((await ok.json()).results[0].status).toBe(201);
  });
});
