import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';

/** The published OpenAPI document is a contract: real responses must validate against it. */
describe('OpenAPI document', () => {
  let engine: RunningEngine;
  let doc: { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, object> } };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);

  beforeAll(async () => {
    engine = await startEngine();
    doc = await (await engine.get('/openapi.json')).json();
    ajv.addSchema({ $id: 'verdict', components: doc.components }, 'verdict');
  });
  afterAll(() => engine.stop());

  const validator = (name: string) => ajv.getSchema(`verdict#/components/schemas/${name}`)!;
  const expectValid = (name: string, value: unknown) => {
    const validate = validator(name);
    expect(validate(value) ? [] : validate.errors).toEqual([]);
  };

  it('is OpenAPI 3.1 and lists every public route', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/decisions', '/v1/decisions/{decisionId}', '/v1/transactions/{transactionId}/decision', '/health/ready']),
    );
  });

  it('describes requests exactly as the engine validates them', () => {
    expectValid('DecisionRequest', decisionRequest());
    expect(validator('DecisionRequest')({ ...decisionRequest(), extra: 1 })).toBe(false);
    expect(validator('DecisionRequest')({ ...decisionRequest(), currency: 'eur' })).toBe(false);
  });

  it('matches real responses: decision, replay, audit record, problem', async () => {
    const body = decisionRequest();
    const created = await (await engine.post('/v1/decisions', body)).json();
    expectValid('DecisionResponse', created);
    expectValid('DecisionResponse', await (await engine.post('/v1/decisions', body)).json());
    expectValid('DecisionAuditRecord', await (await engine.get(`/v1/transactions/${body.transactionId}/decision`)).json());
    expectValid('Problem', await (await engine.post('/v1/decisions', { amount: 'x' })).json());
    await engine.caughtUp(created.position);
    const page = await (await engine.get(`/v1/decisions?cardId=${body.cardId}`)).json();
    expect(page.items.length).toBeGreaterThan(0);
    expectValid('DecisionPage', page);
    expectValid('Problem', await (await engine.post('/v1/decisions', { ...body, amount: 1 })).json());
  });

  it("describes an auditor's replay: its request and the replay as it runs and completes", async () => {
    expect(validator('ReplayRequest')({ from: '2026-11-01T00:00:00Z', filter: { outcome: 'decline' }, mode: 'recompute-features' })).toBe(true);
    expect(validator('ReplayRequest')({ mode: 'fast' })).toBe(false);
    const { replayId } = await (await engine.post('/v1/replays', {})).json();
    let state;
    do {
      state = await (await engine.get(`/v1/replays/${replayId}`)).json();
      expectValid('Replay', state);
    } while (state.status === 'running');
    expect(state.status).toBe('completed');
    expectValid('Problem', await (await engine.get('/v1/replays/00000000-0000-4000-8000-000000000000')).json());
  });

  it('describes labels and the review queue as they are answered', async () => {
    const policy = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: 'openapi-all-review', reviewThreshold: 0, declineThreshold: 1, reason: 'openapi test' });
    expect(policy.status).toBe(200);
    const request = decisionRequest();
    const made = await (await engine.post('/v1/decisions', request)).json();
    const body = { labelId: 'cb-1', label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T10:00:00Z', amount: 12.5 };
    expect(validator('LabelRequest')(body)).toBe(true);
    expect(validator('LabelRequest')({ ...body, source: 'rumour' })).toBe(false);
    expectValid('TransactionLabelled', await (await engine.post(`/v1/transactions/${made.transactionId}/labels`, body)).json());
    const batch = { labels: [{ ...body, labelId: 'cb-2', transactionId: made.transactionId }, { ...body, transactionId: 'nobody' }, { transactionId: made.transactionId }] };
    expectValid('LabelBatchRequest', batch.labels.slice(0, 2).reduce((b, l) => ({ labels: [...b.labels, l] }), { labels: [] as unknown[] }));
    expectValid('LabelBatchResponse', await (await engine.post('/v1/labels/batch', batch)).json());
    await engine.caughtUp(made.position);
    const queue = await (await engine.get(`/v1/reviews?cardId=${String(request.cardId)}`)).json();
    expect(queue.items.length).toBeGreaterThan(0);
    expect(validator('ReviewItem')(queue.items[0]) ? [] : validator('ReviewItem').errors).toEqual([]);
    expectValid('ReviewClaimed', await (await engine.post(`/v1/reviews/${made.decisionId}/claim`, {}, { 'x-verdict-actor': 'kim' })).json());
    const resolved = await (await engine.post(`/v1/reviews/${made.decisionId}/resolution`, { resolution: 'fraud' }, { 'x-verdict-actor': 'kim' })).json();
    expectValid('ReviewResolved', resolved.resolved);
    expectValid('TransactionLabelled', resolved.label);
    expectValid('Problem', await (await engine.post(`/v1/reviews/${made.decisionId}/resolution`, { resolution: 'fraud' })).json());
  });
});
