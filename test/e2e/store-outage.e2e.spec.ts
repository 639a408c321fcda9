import { FakeEsdbServer } from '../../libs/event-store/src/esdb/testing/fake-esdb-server';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';

/**
 * The event store goes away entirely (EventStoreDB node stopped): decisions are refused with 503 — never
 * acknowledged without being recorded — readiness says so, and both recover when the node is back.
 */
describe('event store outage (EventStoreDB node down and back)', () => {
  const server = new FakeEsdbServer();
  let engine: RunningEngine;

  beforeAll(async () => {
    const { connectionString } = await server.start();
    engine = await startEngine({ VERDICT_EVENT_STORE: 'esdb', VERDICT_EVENT_STORE_URL: connectionString });
  });
  afterAll(async () => {
    await engine?.stop();
    await server.stop();
  });

  it('answers 503 while the store is unreachable and decides again once it is back', async () => {
    expect((await engine.post('/v1/decisions', decisionRequest())).status).toBe(201);

    await server.stop();
    const during = decisionRequest();
    const refused = await engine.post('/v1/decisions', during);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ type: '/problems/event-store-unavailable' });
    const ready = await engine.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', checks: { eventStore: { status: 'down' } } });

    await server.start();
    // Recovery takes the client's reconnection and the readers' retry waits (up to 2 s each): seconds, more on a
    // loaded machine. The waits are bounded by time, not by attempts, whose length depends on the machine.
    let status = 0;
    for (const until = Date.now() + 25_000; status !== 201 && Date.now() < until; ) {
      status = (await engine.post('/v1/decisions', during)).status;
      if (status !== 201) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(201);
    // Readiness returns once every part reading the log (the history thread too) has subscribed again.
    let readyAgain = 0;
    for (const until = Date.now() + 25_000; readyAgain !== 200 && Date.now() < until; ) {
      readyAgain = (await engine.get('/health/ready')).status;
      if (readyAgain !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(readyAgain).toBe(200);
    // Nothing from the outage was recorded: the refused request's stream holds exactly the one later decision.
    expect(await engine.store.readStream(`decision-${during.transactionId}`)).toHaveLength(1);
  }, 90_000); // two recoveries of up to 25 s each
});
