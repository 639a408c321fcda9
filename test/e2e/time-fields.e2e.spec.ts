import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';

/**
 * Times that callers send: in bodies, real instants only, and none from the future for what has already happened; in
 * queries, ISO-8601 bounds only. Each refusal is a 400 naming the field, and writes nothing.
 */
describe('time fields over HTTP', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
  });
  afterAll(() => engine?.stop());

  const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

  it.each([
    ['a day past the end of its month', '2026-02-30T10:00:00Z', 'real date-time'],
    ['24:00', '2026-06-30T24:00:00Z', 'real date-time'],
    ['a day from now', minutesFromNow(24 * 60), 'must not be in the future'],
    ['the last year there is', '9999-12-31T23:59:59Z', 'must not be in the future'],
  ])('refuses a transaction that occurred at %s, alone and in a batch, and writes nothing', async (_, occurredAt, message) => {
    const head = await engine.store.headPosition();
    const single = await engine.post('/v1/decisions', decisionRequest({ occurredAt }));
    expect(single.status).toBe(400);
    expect((await single.json()).errors).toEqual([{ path: '/occurredAt', message: expect.stringContaining(message) }]);
    const batch = await engine.post('/v1/decisions/batch', { items: [decisionRequest({ occurredAt }), decisionRequest()] });
    const { results } = await batch.json();
    expect(results.map((r: { status: number }) => r.status)).toEqual([400, 201]);
    expect(results[0].problem.errors).toEqual([{ path: '/items/0/occurredAt', message: expect.stringContaining(message) }]);
    expect(await engine.store.headPosition()).toBe(head + 1n);
  });

  it('takes a transaction that occurred within the clock skew it allows', async () => {
    expect((await engine.post('/v1/decisions', decisionRequest({ occurredAt: minutesFromNow(2) }))).status).toBe(201);
  });

  it('refuses a label reported on a day that does not exist', async () => {
    const request = decisionRequest();
    expect((await engine.post('/v1/decisions', request)).status).toBe(201);
    const head = await engine.store.headPosition();
    const label = await engine.post(`/v1/transactions/${request.transactionId as string}/labels`, {
      labelId: `l-${request.transactionId as string}`, label: 'fraud', source: 'chargeback', reportedAt: '2026-04-31T09:00:00Z',
    });
    expect(label.status).toBe(400);
    expect((await label.json()).errors).toEqual([{ path: '/reportedAt', message: expect.stringContaining('real date-time') }]);
    expect(await engine.store.headPosition()).toBe(head);
  });

  it.each([
    ['/v1/decisions?to=%2B010000-01-01T00:00:00Z', '/to'],
    ['/v1/decisions?from=0', '/from'],
    ['/v1/decisions?from=Tue%2C%2001%20Dec%202026', '/from'],
    ['/v1/decisions?from=2026-12-01T00:00:00', '/from'],
    ['/v1/exports/decisions?from=2026-02-30', '/from'],
    ['/v1/deployment?at=1', '/at'],
    ['/v1/models/fraud-demo/versions/2.0.0/performance?asOf=2026-13-01', '/asOf'],
    ['/v1/monitoring/drift?model=fraud-demo&from=-1', '/from'],
  ])('refuses the query %s (400 at %s)', async (query, path) => {
    const res = await engine.get(query);
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([expect.objectContaining({ path })]);
  });

  it.each(['/v1/decisions?from=2026-01-01&to=2026-12-31T23:59:59.999Z', '/v1/deployment?at=2026-12-01T10:00Z'])('takes the query %s', async (query) => {
    expect((await engine.get(query)).status).toBe(200);
  });
});
