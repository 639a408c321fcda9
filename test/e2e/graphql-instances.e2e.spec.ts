import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { DECISION_SUBSCRIBERS as SUBSCRIBERS, metricReaches, subscribe, wsClient } from '../support/graphql-client';
import { postgresAvailable, randomSchema } from '../support/service-probe';
import { dropSchemas, postgresEnv } from '../support/topologies';

/**
 * Two engine instances on one PostgreSQL store: a decisionMade subscriber on either receives every decision, made
 * on either, because each instance's feed reads the shared log rather than its own decisions.
 */
const pg = postgresAvailable('GraphQL subscriptions across engine instances');
(pg ? describe : describe.skip)('decisionMade across engine instances (PostgreSQL)', () => {
  const schemas = { es: randomSchema('verdict_gql_es'), rm: randomSchema('verdict_gql_rm'), art: randomSchema('verdict_gql_art') };
  const env = postgresEnv(schemas);
  let a: RunningEngine;
  let b: RunningEngine;

  beforeAll(async () => {
    a = await startEngine(env);
    b = await startEngine({ ...env, VERDICT_PROJECTIONS: 'off' }); // one projector per read model
  }, 120_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await dropSchemas(...Object.values(schemas));
  });

  it("streams the other instance's decisions as well as its own, in log order", async () => {
    const onA = wsClient(a);
    const onB = wsClient(b);
    try {
      const query = 'subscription { decisionMade { decisionId position } }';
      const subA = subscribe(onA, query);
      const subB = subscribe(onB, query);
      await metricReaches(a, SUBSCRIBERS, 1);
      await metricReaches(b, SUBSCRIBERS, 1);

      const made = [];
      for (const engine of [a, b, a, b]) {
        const res = await engine.post('/v1/decisions', decisionRequest());
        expect(res.status).toBe(201);
        made.push(await res.json());
      }
      const expected = made.map((d) => ({ decisionId: d.decisionId, position: String(d.position) }));
      for (const sub of [subA, subB]) {
        const seen = [];
        for (let i = 0; i < made.length; i++) seen.push((await sub.next()).value?.data);
        expect(seen).toEqual(expected.map((decisionMade) => ({ decisionMade })));
      }
    } finally {
      await onA.dispose();
      await onB.dispose();
    }
  });
});
