import Database from 'better-sqlite3';
import path from 'node:path';
import { Client } from 'pg';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { postgresAvailable, randomSchema, TEST_PG_URL } from '../support/service-probe';

/**
 * A store that fails an append must produce a 503 and no acknowledgement, and the failure must not be hidden:
 * nothing recorded, a retry after recovery decides normally. The failure is a real one raised inside the database
 * (a trigger), not a mock.
 */
async function expectUnavailableThenRecovery(engine: RunningEngine, poisoned: Record<string, unknown>, heal: () => Promise<void>) {
  const head = await engine.store.headPosition();
  const res = await engine.post('/v1/decisions', poisoned);
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.get('retry-after')).toBe('1');
  expect(await res.json()).toMatchObject({ type: '/problems/event-store-unavailable', status: 503 });
  expect(await engine.store.headPosition()).toBe(head);
  expect((await engine.get(`/v1/transactions/${poisoned.transactionId}/decision`)).status).toBe(404);

  // Other transactions are unaffected while the poisoned one fails.
  expect((await engine.post('/v1/decisions', decisionRequest())).status).toBe(201);

  await heal();
  const retry = await engine.post('/v1/decisions', poisoned);
  expect(retry.status).toBe(201);
}

describe('event store failure → 503, nothing acknowledged (SQLite)', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(() => engine.stop());

  it('answers 503 when the append fails inside the database', async () => {
    const poisoned = decisionRequest({ transactionId: `poison-${Date.now()}` });
    const db = new Database(path.join(engine.dataDir, 'events.sqlite'));
    db.exec(`CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.stream_id LIKE 'decision-poison-%'
             BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END`);
    await expectUnavailableThenRecovery(engine, poisoned, async () => {
      db.exec('DROP TRIGGER poison');
      db.close();
    });
  });

  it('answers an inference on /v2 it could not record 503 in the protocol\'s shape, with Retry-After', async () => {
    const db = new Database(path.join(engine.dataDir, 'events.sqlite'));
    db.exec(`CREATE TRIGGER poison_inference BEFORE INSERT ON events WHEN NEW.stream_id LIKE 'inference-poison-%'
             BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END`);
    try {
      const body = { id: `poison-${Date.now()}`, inputs: [{ name: 'input', shape: [1, 19], datatype: 'FP32', data: [new Array(19).fill(1)] }] };
      const res = await engine.post('/v2/models/fraud-demo/versions/1.0.0/infer', body);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(Object.keys(await res.json())).toEqual(['error']);
      expect(await engine.store.readStream(`inference-${body.id}`)).toEqual([]);
    } finally {
      db.exec('DROP TRIGGER poison_inference');
      db.close();
    }
  });
});

const pg = postgresAvailable('store failure on PostgreSQL');
(pg ? describe : describe.skip)('event store failure → 503, nothing acknowledged (PostgreSQL)', () => {
  const schema = randomSchema('verdict_fail');
  let engine: RunningEngine;
  let admin: Client;
  beforeAll(async () => {
    engine = await startEngine({ VERDICT_EVENT_STORE: 'postgres', VERDICT_EVENT_STORE_URL: TEST_PG_URL, VERDICT_EVENT_STORE_SCHEMA: schema });
    admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await engine?.stop();
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
  });

  it('answers 503 when the append fails inside the database', async () => {
    const poisoned = decisionRequest({ transactionId: `poison-${Date.now()}` });
    await admin.query(`CREATE FUNCTION "${schema}".poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.stream_id LIKE 'decision-poison-%' THEN RAISE EXCEPTION 'simulated storage failure'; END IF; RETURN NEW; END $$`);
    await admin.query(`CREATE TRIGGER poison BEFORE INSERT ON "${schema}".events FOR EACH ROW EXECUTE FUNCTION "${schema}".poison()`);
    await expectUnavailableThenRecovery(engine, poisoned, async () => {
      await admin.query(`DROP TRIGGER poison ON "${schema}".events`);
    });
  });
});
