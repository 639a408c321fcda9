import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decisionRequest, startEngine, type JsonResponse, type RunningEngine } from '../support/engine-harness';
import { e2eTopologies } from '../support/topologies';

const PROBLEM = 'application/problem+json';

describe.each(e2eTopologies())('decision path over HTTP ($name)', (topology) => {
  let engine: RunningEngine;

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env());
  });
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  const headPosition = async () => Number(await engine.store.headPosition());

  it('decides a new transaction (201) after recording it, with the model that ran', async () => {
    const body = decisionRequest();
    const res = await engine.post('/v1/decisions', body);
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBe('false');
    // Its stages in ms: the time in the engine holds the decision's and its append's.
    const timing = Object.fromEntries((res.headers.get('server-timing') ?? '').split(', ').map((e) => [e.split(';dur=')[0], Number(e.split(';dur=')[1])]));
    expect(Object.keys(timing)).toEqual(['decide', 'append', 'server']);
    expect(timing.append).toBeGreaterThan(0);
    expect(timing.server).toBeGreaterThanOrEqual(timing.decide + timing.append - 0.002);
    const d = await res.json();
    expect(d).toMatchObject({ transactionId: body.transactionId, model: { name: expect.any(String), version: expect.any(String) } });
    expect(['approve', 'review', 'decline']).toContain(d.outcome);
    expect(d.score).toBeGreaterThanOrEqual(0);
    expect(d.score).toBeLessThanOrEqual(1);
    expect(d.model.sha256).toBe(createHash('sha256').update(readFileSync(engine.config.model.path)).digest('hex'));
    expect(d.policy).toEqual(engine.config.policy);
    expect(Array.isArray(d.reasons)).toBe(true);
    for (const r of d.reasons) expect(r).toEqual({ feature: expect.any(String), value: expect.any(Number), contribution: expect.any(Number) });
    const sorted = [...d.reasons].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    expect(d.reasons).toEqual(sorted);
    expect(typeof d.position).toBe('number');
    expect(Date.parse(d.decidedAt)).not.toBeNaN();

    // The event is in the store before the answer: read it straight back.
    const events = await engine.store.readStream(`decision-${body.transactionId}`);
    expect(events).toHaveLength(1);
    expect(events[0].data.decisionId).toBe(d.decisionId);
    expect(Number(events[0].position)).toBe(d.position);
  });

  it('answers a retry with the original decision (200, Idempotent-Replayed) and records nothing new', async () => {
    const body = decisionRequest();
    const first = await (await engine.post('/v1/decisions', body)).json();
    const head = await headPosition();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const res = await engine.post('/v1/decisions', reordered);
    expect(res.status).toBe(200);
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    // The original's stages are not this answer's: only the time in the engine.
    expect(res.headers.get('server-timing')).toMatch(/^server;dur=(?!0\.000$)\d+\.\d{3}$/);
    expect(await res.json()).toEqual(first);
    expect(await headPosition()).toBe(head);
  });

  it('refuses the same transactionId with a different body (409 problem)', async () => {
    const body = decisionRequest();
    await engine.post('/v1/decisions', body);
    const res = await engine.post('/v1/decisions', { ...body, amount: 999 });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    const p = await res.json();
    expect(p).toMatchObject({ type: '/problems/idempotency-conflict', status: 409, transactionId: body.transactionId });
    expect(await engine.store.readStream(`decision-${body.transactionId}`)).toHaveLength(1);
  });

  it("records the caller's safe X-Correlation-Id, answers with it on every status, and makes one up only for what it records", async () => {
    const body = decisionRequest();
    const id = `order-${randomUUID()}`;
    const made = await engine.post('/v1/decisions', body, { 'x-correlation-id': id });
    expect(made.status).toBe(201);
    expect(made.headers.get('x-correlation-id')).toBe(id);
    const [event] = await engine.store.readStream(`decision-${body.transactionId}`);
    expect(event?.metadata.correlationId).toBe(id);

    // A replay records nothing new: the caller's id comes back, and without one the id the decision was recorded under.
    const replayed = await engine.post('/v1/decisions', body, { 'x-correlation-id': 'retry-1' });
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('x-correlation-id')).toBe('retry-1');
    expect((await engine.post('/v1/decisions', body)).headers.get('x-correlation-id')).toBe(id);

    // Not a safe id: the decision is recorded under a new one, which the answer names.
    const other = decisionRequest();
    const unsafe = await engine.post('/v1/decisions', other, { 'x-correlation-id': 'has spaces' });
    const minted = unsafe.headers.get('x-correlation-id');
    expect(minted).toMatch(/^[0-9a-f-]{36}$/);
    expect((await engine.store.readStream(`decision-${other.transactionId}`))[0]?.metadata.correlationId).toBe(minted);

    // A refused request records nothing: the caller's id comes back, and none is made up.
    const before = await headPosition();
    const refused = await engine.post('/v1/decisions', { ...decisionRequest(), amount: -1 }, { 'x-correlation-id': id });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-correlation-id')).toBe(id);
    const anonymous = await engine.post('/v1/decisions', { ...decisionRequest(), amount: -1 });
    expect(anonymous.status).toBe(400);
    expect(anonymous.headers.get('x-correlation-id')).toBeNull();
    const conflict = await engine.post('/v1/decisions', { ...body, amount: body.amount as number + 1 }, { 'x-correlation-id': id });
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('x-correlation-id')).toBe(id);
    expect(await headPosition()).toBe(before);
  });

  it('turns concurrent identical requests into exactly one event', async () => {
    const body = decisionRequest();
    const responses = await Promise.all(Array.from({ length: 24 }, () => engine.post('/v1/decisions', body)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(23);
    const ids = new Set(await Promise.all(responses.map(async (r) => (await r.json()).decisionId)));
    expect(ids.size).toBe(1);
    expect(await engine.store.readStream(`decision-${body.transactionId}`)).toHaveLength(1);
  });

  describe('bad input: 4xx problem+json and nothing written', () => {
    const cases: [string, () => Promise<JsonResponse>, number, string, string | null][] = [
      ['missing field', () => engine.post('/v1/decisions', { ...decisionRequest(), amount: undefined }), 400, 'validation-failed', '/amount'],
      ['extra field', () => engine.post('/v1/decisions', { ...decisionRequest(), surprise: 1 }), 400, 'validation-failed', '/surprise'],
      ['wrong type', () => engine.post('/v1/decisions', { ...decisionRequest(), amount: '12.00' }), 400, 'validation-failed', '/amount'],
      ['nested attribute', () => engine.post('/v1/decisions', { ...decisionRequest(), attributes: { a: { b: 1 } } }), 400, 'validation-failed', '/attributes/a'],
      ['NaN literal', () => engine.post('/v1/decisions', JSON.stringify(decisionRequest()).replace('42.5', 'NaN')), 400, 'malformed-json', null],
      ['Infinity literal', () => engine.post('/v1/decisions', JSON.stringify(decisionRequest()).replace('42.5', 'Infinity')), 400, 'malformed-json', null],
      ['malformed JSON', () => engine.post('/v1/decisions', '{"transactionId": '), 400, 'malformed-json', null],
      ['empty body', () => engine.post('/v1/decisions', ''), 400, 'malformed-json', null],
      ['array body', () => engine.post('/v1/decisions', [decisionRequest()]), 400, 'validation-failed', ''],
      ['wrong content type', () => engine.post('/v1/decisions', JSON.stringify(decisionRequest()), { 'content-type': 'text/plain' }), 415, 'unsupported-media-type', null],
      ['form content type', () => engine.post('/v1/decisions', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type', null],
      ['body over 64 KiB', () => engine.post('/v1/decisions', { ...decisionRequest(), attributes: { pad: 'x'.repeat(1000) }, pad: 'y'.repeat(70_000) }), 413, 'payload-too-large', null],
    ];
    it.each(cases)('%s', async (_name, send, status, type, path) => {
      const head = await headPosition();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain(PROBLEM);
      const p = await res.json();
      expect(p).toMatchObject({ type: `/problems/${type}`, status, title: expect.any(String), detail: expect.any(String) });
      if (path !== null) expect(p.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.any(String) })]));
      // The framework's own refusals say what to send instead, not just their status's name.
      if (status === 415) expect(p.detail).toContain('Content-Type: application/json');
      if (status === 413) expect(p.detail).toContain("this route's size limit of 64 KiB");
      expect(await headPosition()).toBe(head);
    });
  });

  it('serves the full audit record by decision id once projected, and 404 for unknown ids', async () => {
    const body = decisionRequest();
    const made = await (await engine.post('/v1/decisions', body)).json();
    await engine.caughtUp(made.position);
    const res = await engine.get(`/v1/decisions/${made.decisionId}`);
    expect(res.status).toBe(200);
    const audit = await res.json();
    expect(audit).toMatchObject({
      decisionId: made.decisionId,
      transactionId: body.transactionId,
      request: body,
      outcome: made.outcome,
      score: made.score,
      stream: `decision-${body.transactionId}`,
      revision: 0,
      position: made.position,
      schemaVersion: 4,
      storedSchemaVersion: 4,
      deployment: { revision: made.deployment.revision, arm: 'champion', bucket: null },
      model: { name: made.model.name, sha256: made.model.sha256, runtime: { name: 'onnxruntime-node' } },
      metadata: { correlationId: expect.any(String) },
    });
    expect(audit.features.names.length).toBe(audit.features.values.length);
    expect(Date.parse(audit.recordedAt)).not.toBeNaN();

    const byTx = await engine.get(`/v1/transactions/${body.transactionId}/decision`);
    expect(await byTx.json()).toEqual(audit);

    const missing = await engine.get('/v1/decisions/00000000-0000-5000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain(PROBLEM);
  });

  it('lists decisions by card, newest first, with stable cursor paging', async () => {
    const cardId = `card-list-${Date.now()}`;
    const made: { decisionId: string; position: number }[] = [];
    for (let i = 0; i < 7; i++) made.push(await (await engine.post('/v1/decisions', decisionRequest({ cardId, amount: 10 + i }))).json());
    await engine.caughtUp(Math.max(...made.map((m) => m.position)));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await engine.get(`/v1/decisions?cardId=${cardId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = await res.json();
      seen.push(...page.items.map((i: { decisionId: string }) => i.decisionId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse().map((m) => m.decisionId));

    const bad = await engine.get('/v1/decisions?limit=501');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: '/problems/invalid-query', errors: [expect.objectContaining({ path: '/limit' })] });
  });

  it('reports health and metrics', async () => {
    expect((await engine.get('/health/live')).status).toBe(200);
    const ready = await engine.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { eventStore: { status: 'up' }, deployment: { status: 'up', revision: 1 }, projections: { lag: expect.any(Number) } } });
    const metrics = await (await engine.get('/metrics')).text();
    expect(metrics).toContain('verdict_decisions_total');
    expect(metrics).toMatch(/^verdict_event_store_head_position [1-9]\d*$/m);
    expect(metrics).toMatch(/^verdict_projection_lag_events \d+$/m);
    // The log's commits carried every decision recorded so far (and other events besides), each timed by the store.
    expect((await engine.post('/v1/decisions', decisionRequest())).status).toBe(201);
    const afterDecision = await (await engine.get('/metrics')).text();
    const decided = [...afterDecision.matchAll(/^verdict_decisions_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(decided).toBeGreaterThanOrEqual(1);
    expect(Number(/^verdict_event_store_commit_events_sum (\d+)$/m.exec(afterDecision)?.[1])).toBeGreaterThanOrEqual(decided);
    expect(Number(/^verdict_event_store_commit_seconds_count (\d+)$/m.exec(afterDecision)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^verdict_event_store_commit_seconds_sum (\S+)$/m.exec(afterDecision)?.[1])).toBeGreaterThan(0);
  });

  it('counts projection lag in events, and it reaches 0 when the log ends with events no projection applies', async () => {
    await engine.post('/v1/decisions', decisionRequest());
    // Events of a type no read model applies (as seals and keys are): the checkpoint never moves for them.
    await engine.store.appendToStream(`unprojected-${Date.now()}`, [{ id: randomUUID(), type: 'SomethingElse', data: { n: 1 } }, { id: randomUUID(), type: 'SomethingElse', data: { n: 2 } }], { expectedRevision: 'no_stream' });
    let lag: unknown;
    for (let i = 0; i < 100; i++) {
      lag = (await (await engine.get('/health/ready')).json()).checks.projections.lag;
      if (lag === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(lag).toBe(0);
    const metrics = await (await engine.get('/metrics')).text();
    expect(metrics).toMatch(/^verdict_projection_lag_events 0$/m);
    expect(metrics).toMatch(/^verdict_history_answers_behind_total 0$/m);
  });

  it('answers unknown routes with a problem', async () => {
    const res = await engine.get('/v3/nothing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    // Under /v2 the Open Inference Protocol's shape applies.
    const oip = await engine.get('/v2/nothing');
    expect(oip.status).toBe(404);
    expect(Object.keys(await oip.json())).toEqual(['error']);
  });
});
