import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';

const post = (engine: RunningEngine, path: string, key: string, body: unknown) =>
  fetch(engine.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

/** Rate limits per key, and a timeout on every request: both answer problem+json that says what to do next. */
describe('request limits', () => {
  describe('rate limits per key', () => {
    let engine: RunningEngine;
    beforeAll(async () => {
      engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0', VERDICT_RATE_LIMIT_PER_SECOND: '50' });
    });
    afterAll(() => engine?.stop());

    it("answers 429 with Retry-After past a key's own limit, writes nothing, and leaves other keys alone", async () => {
      const created = await engine.post('/v1/keys', { client: 'slow-partner', roles: ['decide'], rateLimitPerSecond: 3 });
      const { apiKey } = (await created.json()) as { apiKey: string };
      const other = await engine.createKey('checkout', ['decide']);
      const head = await engine.store.headPosition();
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(engine, '/v1/decisions', apiKey, decisionRequest())));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(3);
      const refused = answers.filter((r) => r.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(3);
      expect(refused[0]!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused[0]!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await refused[0]!.json()).toMatchObject({ type: '/problems/rate-limited', status: 429 });
      expect(await engine.store.headPosition()).toBe(head + BigInt(statuses.filter((s) => s === 201).length));
      expect((await post(engine, '/v1/decisions', other, decisionRequest())).status).toBe(201);
    });

    it('applies the engine default to keys without their own, and never limits the health probes', async () => {
      const key = await engine.createKey('bulk', ['analyze']);
      const answers = await Promise.all(Array.from({ length: 80 }, () => fetch(`${engine.url}/v1/alerts`, { headers: { authorization: `Bearer ${key}` } })));
      expect(answers.filter((r) => r.status === 429).length).toBeGreaterThan(0);
      const probes = await Promise.all(Array.from({ length: 80 }, () => fetch(`${engine.url}/health/live`)));
      expect(probes.every((r) => r.status === 200)).toBe(true);
    });
  });

  describe('request timeout', () => {
    let engine: RunningEngine;
    beforeAll(async () => {
      engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0', VERDICT_REQUEST_TIMEOUT_MS: '40', VERDICT_HISTORY_WAIT_MS: '20' });
    });
    afterAll(() => engine?.stop());

    it('answers 503 request-timeout when no answer is ready in time, saying a retry is safe', async () => {
      const items = Array.from({ length: 1000 }, () => decisionRequest());
      const res = await post(engine, '/v1/decisions/batch', engine.adminKey, { items });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      const problem = (await res.json()) as { type: string; detail: string };
      expect(problem.type).toBe('/problems/request-timeout');
      expect(problem.detail).toMatch(/retrying the same request is safe/);
      expect((await fetch(`${engine.url}/health/live`)).status).toBe(200);
    });
  });
});
