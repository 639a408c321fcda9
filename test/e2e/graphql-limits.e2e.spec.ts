import { HttpAdapterHost } from '@nestjs/core';
import Ajv2020 from 'ajv/dist/2020';
import type { FastifyInstance } from 'fastify';
import { getIntrospectionQuery } from 'graphql';
import type { EventStore } from '@verdict/event-store';
import { EventStoreDecisionStreams, type DecisionStreamsPort } from '../../apps/engine/src/graphql/decision-streams';
import { DECISION_STREAMS } from '../../apps/engine/src/graphql/graphql.tokens';
import { EVENT_STORE } from '../../apps/engine/src/infrastructure/tokens';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { DECISION_SUBSCRIBERS as SUBSCRIBERS, graphql, metricReaches, subscribe, wsClient } from '../support/graphql-client';

/**
 * Depth and cost limits (VERDICT_GRAPHQL_MAX_DEPTH, VERDICT_GRAPHQL_MAX_COMPLEXITY) over HTTP and WebSocket: an
 * operation over either is refused with a GraphQL error saying which and by how much, before anything is read.
 */
describe('GraphQL depth and complexity limits', () => {
  let engine: RunningEngine;
  const batches: string[][] = [];
  let transactionId: string;

  beforeAll(async () => {
    engine = await startEngine({ VERDICT_GRAPHQL_MAX_DEPTH: '3', VERDICT_GRAPHQL_MAX_COMPLEXITY: '40' }, [
      {
        provide: DECISION_STREAMS,
        useFactory: (store: EventStore): DecisionStreamsPort => {
          const real = new EventStoreDecisionStreams(store);
          return { read: (ids) => (batches.push([...ids]), real.read(ids)) };
        },
        inject: [EVENT_STORE],
      },
    ]);
    const d = await (await engine.post('/v1/decisions', decisionRequest())).json();
    transactionId = d.transactionId;
    await engine.caughtUp(d.position);
  });
  afterAll(() => engine?.stop());
  beforeEach(() => (batches.length = 0));

  it('refuses a query nested deeper than the limit over HTTP', async () => {
    expect((await graphql(engine, '{ decisions(first: 5) { edges { cursor } } }')).body.errors).toBeUndefined();
    const res = await graphql(engine, '{ decisions { edges { node { decisionId } } } }');
    expect(res.status).toBe(400);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: 'The query is 4 levels deep; the limit is 3 (VERDICT_GRAPHQL_MAX_DEPTH).',
        extensions: { code: 'query-too-deep', depth: 4, limit: 3 },
      }),
    ]);
  });

  it('measures the cost with the variables of the request', async () => {
    // 1 + first × (edges 1 + cursor 1)
    const query = 'query($n: Int!) { decisions(first: $n) { edges { cursor } } }';
    const within = await graphql(engine, query, { n: 19 });
    expect(within.body.errors).toBeUndefined();
    expect(within.body.data.decisions.edges).toHaveLength(1);
    const over = await graphql(engine, query, { n: 20 });
    expect(over.status).toBe(400);
    expect(over.body.data).toBeNull();
    expect(over.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("The operation's estimated cost is 41; the limit is 40 (VERDICT_GRAPHQL_MAX_COMPLEXITY)"),
        extensions: { code: 'query-too-complex', complexity: 41, limit: 40 },
      }),
    ]);
  });

  it('refuses a query costing more than the limit before reading anything', async () => {
    // Each transaction costs 3 (a stream read) + labels 1 + labelId 1.
    const query = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: transaction(id: "${transactionId}-${i}") { labels { labelId } }`).join(' ')} }`;
    const within = await graphql(engine, query(8));
    expect(within.body.errors).toBeUndefined();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(8);
    batches.length = 0;
    const over = await graphql(engine, query(9));
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0].extensions).toEqual({ code: 'query-too-complex', complexity: 45, limit: 40 });
    expect(batches).toEqual([]);
  });

  it('counts a page size out of range as the largest page, so no argument lowers the cost, and runs nothing', async () => {
    // Two pages of 19 (1 + 19 × 2 each) are over the limit together; a third with a negative `first` once made the
    // total negative, and the two ran (and were logged) beside its error. Out of range, it costs 1 + 500 × 2.
    const since = new Date().toISOString().slice(0, 10);
    const logged = async (): Promise<string[]> => {
      const { items } = (await (await engine.get(`/v1/audit/access?from=${since}&limit=1000`)).json()) as { items: { operation: string }[] };
      return items.map((r) => r.operation).filter((o) => o.startsWith('graphql:Sneaky'));
    };
    for (const field of ['decisions', 'alerts', 'reviews']) {
      for (const bad of ['-100000', '0', '501', '$n']) {
        const page = (first: string) => `${field}(first: ${first}) { edges { cursor } }`;
        const variables = bad === '$n' ? '($n: Int)' : '';
        const res = await graphql(engine, `query Sneaky${variables} { b: ${page('19')} c: ${page('19')} a: ${page(bad)} }`, { n: -100000 });
        expect([field, bad, res.status, res.body]).toEqual([
          field,
          bad,
          400,
          { data: null, errors: [expect.objectContaining({ extensions: { code: 'query-too-complex', complexity: 1079, limit: 40 } })] },
        ]);
      }
    }
    expect(await logged()).toEqual([]);
  });

  it('measures only the operation that runs in a document of several', async () => {
    const doc = 'query Cheap { models { name } } query Dear { decisions(first: 100) { edges { cursor } } }';
    expect((await graphql(engine, doc, undefined, 'Cheap')).body).toEqual({ data: { models: [{ name: 'fraud-demo' }] } });
    expect((await graphql(engine, doc, undefined, 'Dear')).body.errors?.[0].extensions).toMatchObject({ code: 'query-too-complex', complexity: 201 });
  });

  it('lets any client introspect: introspection counts toward neither limit', async () => {
    const res = await graphql(engine, getIntrospectionQuery());
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.__schema.subscriptionType).toMatchObject({ name: 'Subscription' });
  });

  it('holds subscriptions over WebSocket to both limits, and opens nothing for a refused one', async () => {
    const client = wsClient(engine);
    try {
      await expect(subscribe(client, 'subscription { decisionMade { shadow { model { name } } } }').next()).rejects.toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'query-too-deep', depth: 4, limit: 3 }) }),
      ]);
      // 1 + decisionId 1 + ten fields read from the stream at 3 + 1 each
      const dear = `subscription($f: DecisionMadeFilter!) { decisionMade(filter: $f) { decisionId labels { labelId } policy { version }
        reasons { feature } features { name } timings { totalMs } shadow { score } p: policy { version } r: reasons { feature }
        f: features { name } t: timings { totalMs } } }`;
      await expect(subscribe(client, dear, { f: { minScore: 0 } }).next()).rejects.toEqual([
        expect.objectContaining({ extensions: { code: 'query-too-complex', complexity: 42, limit: 40 } }),
      ]);
      await metricReaches(engine, SUBSCRIBERS, 0);

      // Within both, with a required variable: streams.
      const cheap = subscribe(client, 'subscription($f: DecisionMadeFilter!) { decisionMade(filter: $f) { decisionId labels { labelId } } }', { f: { minScore: 0 } });
      await metricReaches(engine, SUBSCRIBERS, 1);
      const d = await (await engine.post('/v1/decisions', decisionRequest())).json();
      expect((await cheap.next()).value?.data).toEqual({ decisionMade: { decisionId: d.decisionId, labels: [] } });
      await cheap.stop();
    } finally {
      await client.dispose();
    }
  });

  it('answers as the OpenAPI document describes /graphql, valid or refused', async () => {
    const doc = await (await engine.get('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toContain('/graphql');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'verdict', components: doc.components }, 'verdict');
    const validate = ajv.getSchema('verdict#/components/schemas/GraphqlResponse')!;
    for (const query of ['{ models { name } }', '{ decisions { edges { node { decisionId } } } }', '{ nope }']) {
      const { body } = await graphql(engine, query);
      expect(validate(body) ? [] : validate.errors).toEqual([]);
    }
    expect(ajv.getSchema('verdict#/components/schemas/GraphqlRequest')!({ query: '{ models { name } }', variables: null })).toBe(true);
  });

  it('keeps Mercurius and its WebSocket plugin out of the root Fastify scope (the decision route never meets them)', () => {
    const root = engine.resolve(HttpAdapterHost).httpAdapter.getInstance<FastifyInstance>();
    expect(root.hasDecorator('graphql')).toBe(false);
    expect(root.hasRequestDecorator('ws')).toBe(false);
    expect(root.hasReplyDecorator('graphql')).toBe(false);
    expect(root.hasRoute({ method: 'POST', url: '/graphql' })).toBe(true);
  });
});
