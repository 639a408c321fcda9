import { buildLogisticTestModel, buildPassThroughTestModel } from '@verdict/model-runtime/testing/build-test-model';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { change, register } from '../support/model-fixtures';

const PROBLEM = 'application/problem+json';
/** A finite double that float32, the model's input type, holds as Infinity: the pass-through model scores it so. */
const TOO_BIG = 1e300;

describe('a request the champion model cannot score', () => {
  let engine: RunningEngine;
  const streamOf = async (transactionId: string) => engine.store.readStream(`decision-${transactionId}`);

  beforeAll(async () => {
    engine = await startEngine();
    const manifest = { policy: { version: 'pass-through', reviewThreshold: 0.5, declineThreshold: 0.9 } };
    expect((await register(engine, 'pass-through', '1', buildPassThroughTestModel('attributes.risk'), manifest)).status).toBe(201);
    await change(engine, 'PUT', '/champion', { model: 'pass-through', version: '1', reason: 'its score is attributes.risk' });
  });
  afterAll(async () => engine?.stop());

  it('is answered 422 unscorable-request, records nothing, and is answered the same on a retry', async () => {
    const fine = await engine.post('/v1/decisions', decisionRequest({ attributes: { risk: 0.2 } }));
    expect(fine.status).toBe(201);
    expect(await fine.json()).toMatchObject({ outcome: 'approve', score: expect.closeTo(0.2, 6) });

    const request = decisionRequest({ attributes: { risk: TOO_BIG } });
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await engine.post('/v1/decisions', request);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain(PROBLEM);
      expect(await res.json()).toMatchObject({ type: '/problems/unscorable-request', status: 422, score: 'Infinity', detail: expect.stringMatching(/non-finite score/) });
      expect(await streamOf(request.transactionId as string)).toEqual([]);
    }
    const described = await engine.get('/problems/unscorable-request');
    expect(described.status).toBe(200);
  });

  it('fails that batch item alone, with the same problem', async () => {
    const items = [decisionRequest({ attributes: { risk: 0.95 } }), decisionRequest({ attributes: { risk: TOO_BIG } }), decisionRequest({ attributes: { risk: -TOO_BIG } })];
    const res = await engine.post('/v1/decisions/batch', { items });
    expect(res.status).toBe(200);
    const { results } = await res.json();
    expect(results.map((r: { status: number }) => r.status)).toEqual([201, 422, 422]);
    expect(results[0].decision).toMatchObject({ outcome: 'decline' });
    expect(results[1].problem).toMatchObject({ type: '/problems/unscorable-request', score: 'Infinity' });
    expect(results[2].problem).toMatchObject({ type: '/problems/unscorable-request', score: '-Infinity' });
    expect(await streamOf(items[1].transactionId as string)).toEqual([]);
    expect(await streamOf(items[2].transactionId as string)).toHaveLength(0);
  });

  // Last: it changes the champion.
  it('is the same for a model that scores NaN', async () => {
    // sigmoid(Infinity × 0 + 0): NaN, for the same float32 overflow.
    const bytes = buildLogisticTestModel({ features: ['attributes.risk'], weights: [0], bias: 0 });
    expect((await register(engine, 'zero-weight', '1', bytes, { policy: { version: 'pass-through', reviewThreshold: 0.5, declineThreshold: 0.9 } })).status).toBe(201);
    await change(engine, 'PUT', '/champion', { model: 'zero-weight', version: '1', reason: 'NaN on an overflow' });
    const request = decisionRequest({ attributes: { risk: TOO_BIG } });
    const res = await engine.post('/v1/decisions', request);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ type: '/problems/unscorable-request', score: 'NaN' });
    expect(await streamOf(request.transactionId as string)).toEqual([]);
  });
});
