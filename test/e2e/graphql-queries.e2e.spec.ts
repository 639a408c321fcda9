import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EventStore } from '@verdict/event-store';
import { EventStoreDecisionStreams, type DecisionStreamsPort } from '../../apps/engine/src/graphql/decision-streams';
import { DECISION_STREAMS } from '../../apps/engine/src/graphql/graphql.tokens';
import { SCHEMA_FILE } from '../../apps/engine/src/graphql/schema-printer';
import { EVENT_STORE } from '../../apps/engine/src/infrastructure/tokens';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { DECISION_FIELDS as FIELDS, graphql } from '../support/graphql-client';
import { e2eTopologies } from '../support/topologies';

/** Every batch the GraphQL loaders ask of the real decision streams (transaction ids per call). */
function recordingStreams(store: EventStore, batches: string[][]): DecisionStreamsPort {
  const real = new EventStoreDecisionStreams(store);
  return {
    read: (ids) => {
      batches.push([...ids]);
      return real.read(ids);
    },
  };
}

/** GraphQL queries over real HTTP, against what the REST API answers for the same things. */
describe.each(e2eTopologies())('GraphQL queries over HTTP ($name)', (topology) => {
  let engine: RunningEngine;
  const batches: string[][] = [];
  const cardId = `card-gql-${randomUUID().slice(0, 8)}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const decided: any[] = [];
  const labels = [
    { labelId: randomUUID(), label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T09:00:00Z', amount: 12.5, note: 'reason code 10.4' },
    { labelId: randomUUID(), label: 'legitimate', source: 'manual', reportedAt: '2026-12-02T10:00:00.000Z' },
  ];

  const decide = async (overrides: Record<string, unknown> = {}) => {
    const res = await engine.post('/v1/decisions', decisionRequest(overrides));
    expect(res.status).toBe(201);
    return res.json();
  };
  /** Through the labels API, as an analyst's tools record them. */
  const label = async (transactionId: string, data: typeof labels) => {
    for (const l of data) {
      const res = await engine.post(`/v1/transactions/${transactionId}/labels`, l, { 'x-verdict-actor': 'analyst@example' });
      expect(res.status).toBe(201);
    }
  };

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env(), [
      { provide: DECISION_STREAMS, useFactory: (store: EventStore) => recordingStreams(store, batches), inject: [EVENT_STORE] },
    ]);
    for (let i = 0; i < 5; i++) decided.push(await decide({ cardId, amount: 10 + i }));
    await engine.caughtUp(decided[4].position);
    await label(decided[1].transactionId, labels);
    await label(decided[3].transactionId, [labels[0]]);
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('lists decisions as a Relay connection with the filters and cursors of GET /v1/decisions', async () => {
    const page = `query($card: String, $after: String) { decisions(filter: { cardId: $card }, first: 2, after: $after) {
      edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    const rest1 = await (await engine.get(`/v1/decisions?cardId=${cardId}&limit=2`)).json();
    const gql1 = await graphql(engine, page, { card: cardId });
    expect(gql1.status).toBe(200);
    const c1 = gql1.body.data.decisions;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(c1.edges.map((e: any) => e.node.decisionId)).toEqual(rest1.items.map((i: { decisionId: string }) => i.decisionId));
    expect(c1.edges.map((e: { node: { decisionId: string } }) => e.node.decisionId)).toEqual([decided[4].decisionId, decided[3].decisionId]);
    expect(c1.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: c1.edges[0].cursor, endCursor: rest1.nextCursor });
    expect(c1.edges[0].node).toMatchObject({
      transactionId: decided[4].transactionId,
      position: String(decided[4].position),
      outcome: decided[4].outcome,
      score: decided[4].score,
      cardId,
      amount: 14,
      decidedAt: decided[4].decidedAt,
      arm: 'champion',
      deploymentRevision: decided[4].deployment.revision,
      model: decided[4].model,
    });

    const rest2 = await (await engine.get(`/v1/decisions?cardId=${cardId}&limit=2&cursor=${rest1.nextCursor}`)).json();
    const c2 = (await graphql(engine, page, { card: cardId, after: c1.pageInfo.endCursor })).body.data.decisions;
    expect(c2.edges.map((e: { node: { decisionId: string } }) => e.node.decisionId)).toEqual(rest2.items.map((i: { decisionId: string }) => i.decisionId));
    expect(c2.pageInfo.endCursor).toBe(rest2.nextCursor);
    const c3 = (await graphql(engine, page, { card: cardId, after: c2.pageInfo.endCursor })).body.data.decisions;
    expect(c3.edges.map((e: { node: { decisionId: string } }) => e.node.decisionId)).toEqual([decided[0].decisionId]);
    expect(c3.pageInfo.hasNextPage).toBe(false);
  });

  it("reads a whole page's labels and events in one batch, and each stream once per operation", async () => {
    batches.length = 0;
    const res = await graphql(
      engine,
      `{ decisions(filter: { cardId: "${cardId}" }, first: 10) { edges { node { transactionId labels { labelId label source reportedAt amount note recordedBy }
         policy { version reviewThreshold declineThreshold } reasons { feature value contribution } features { name value } timings { totalMs } shadow { score } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.decisions.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toHaveLength(5);
    expect(batches).toHaveLength(1);
    expect([...batches[0]].sort()).toEqual(decided.map((d) => d.transactionId).sort());

    const byTx = new Map(nodes.map((n: { transactionId: string }) => [n.transactionId, n]));
    expect(byTx.get(decided[1].transactionId)).toMatchObject({
      labels: [
        { ...labels[0], reportedAt: '2026-12-01T09:00:00.000Z', recordedBy: 'admin/analyst@example' },
        { ...labels[1], amount: null, note: null, recordedBy: 'admin/analyst@example' },
      ],
    });
    expect(byTx.get(decided[3].transactionId)).toMatchObject({ labels: [{ labelId: labels[0].labelId }] });
    expect(byTx.get(decided[0].transactionId)).toMatchObject({ labels: [], policy: decided[0].policy, reasons: decided[0].reasons, shadow: null });
  });

  it('answers decision(id) and transaction(id) { decision labels } from the event store', async () => {
    const d = decided[1];
    const record = await (await engine.get(`/v1/decisions/${d.decisionId}`)).json();
    batches.length = 0;
    const res = await graphql(
      engine,
      `query($id: ID!, $tx: ID!) {
        decision(id: $id) { ${FIELDS} occurredAt recordedAt policy { version reviewThreshold declineThreshold } features { name value } reasons { feature } timings { featuresMs inferenceMs totalMs } }
        transaction(id: $tx) { transactionId decision { decisionId labels { labelId } } labels { labelId label } }
        unknown: decision(id: "no-such-decision") { decisionId }
        nothing: transaction(id: "no-such-transaction") { transactionId } }`,
      { id: d.decisionId, tx: d.transactionId },
    );
    expect(res.body.errors).toBeUndefined();
    const { decision, transaction, unknown, nothing } = res.body.data;
    expect(decision).toMatchObject({ decisionId: d.decisionId, position: String(record.position), outcome: record.outcome, score: record.score, recordedAt: record.recordedAt });
    expect(decision.policy).toEqual(record.policy);
    expect(decision.timings).toEqual(record.timings);
    expect(decision.features).toEqual(record.features.names.map((name: string, i: number) => ({ name, value: record.features.values[i] })));
    expect(decision.occurredAt).toBe(new Date(record.request.occurredAt).toISOString());
    expect(transaction).toEqual({
      transactionId: d.transactionId,
      decision: { decisionId: d.decisionId, labels: labels.map((l) => ({ labelId: l.labelId })) },
      labels: labels.map((l) => ({ labelId: l.labelId, label: l.label })),
    });
    expect(unknown).toBeNull();
    expect(nothing).toBeNull();
    // The transaction's stream was read once for both of its label lists (and the unknown one once).
    expect(batches.flat().sort()).toEqual([d.transactionId, 'no-such-transaction'].sort());
  });

  it('answers models, model(name) and deployment(at) as the REST API does', async () => {
    const before = decided[0].decidedAt as string;
    const changed = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: `gql-${randomUUID().slice(0, 6)}`, reviewThreshold: 0.2, declineThreshold: 0.9, reason: 'graphql test' });
    expect(changed.status).toBe(200);
    const rest = await (await engine.get('/v1/models')).json();
    const then = await (await engine.get(`/v1/deployment?at=${encodeURIComponent(before)}`)).json();
    const now = await (await engine.get('/v1/deployment')).json();
    const res = await graphql(
      engine,
      `query($at: DateTime, $name: ID!) {
        models { name versions { name version sha256 servedSha256 registeredAt retiredAt decides deployedAs } }
        model(name: $name) { name versions { version deployedAs } }
        missing: model(name: "no-such-model") { name }
        then: deployment(at: $at) { at revision since champion { name version sha256 servedSha256 } policy { version reviewThreshold declineThreshold } standby { model { version } } challenger { mode } events { revision type at actor reason } }
        now: deployment { revision policy { version } } }`,
      { at: before, name: rest.items[0].name },
    );
    expect(res.body.errors).toBeUndefined();
    const { models, model, missing } = res.body.data;
    expect(models).toEqual(
      rest.items.map((m: { name: string; versions: Record<string, unknown>[] }) => ({
        name: m.name,
        versions: m.versions.map((v) => ({ name: m.name, version: v.version, sha256: v.sha256, servedSha256: v.servedSha256, registeredAt: v.registeredAt, retiredAt: v.retiredAt, decides: v.decides, deployedAs: v.deployedAs })),
      })),
    );
    expect(model).toEqual({ name: rest.items[0].name, versions: rest.items[0].versions.map((v: { version: string; deployedAs: string[] }) => ({ version: v.version, deployedAs: v.deployedAs })) });
    expect(missing).toBeNull();
    expect(res.body.data.then).toEqual({
      at: then.at,
      revision: then.revision,
      since: then.since,
      champion: then.champion,
      policy: then.policy,
      standby: null,
      challenger: null,
      events: then.events.map((e: Record<string, unknown>) => ({ revision: e.revision, type: e.type, at: e.at, actor: e.actor, reason: e.reason })),
    });
    expect(res.body.data.now).toEqual({ revision: now.revision, policy: { version: now.policy.version } });
    expect(now.revision).toBeGreaterThan(then.revision);
  });

  it('refuses bad arguments with the problem code and the path of the argument, and reads nothing', async () => {
    batches.length = 0;
    const ask = (args: string) => graphql(engine, `{ decisions(${args}) { edges { node { decisionId labels { labelId } } } } }`);
    const cases: [string, string][] = [
      ['filter: { modelVersion: "1.0.0" }', '/filter/modelVersion'],
      ['first: 501', '/first'],
      ['first: 0', '/first'],
      ['after: "bm90LWEtY3Vyc29y"', '/after'],
      ['filter: { merchantId: "" }', '/filter/merchantId'],
    ];
    for (const [args, pointer] of cases) {
      const res = await ask(args);
      expect(res.body.data).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0].extensions).toMatchObject({ code: 'invalid-query', status: 400 });
      expect(res.body.errors![0].extensions!.errors.map((e: { path: string }) => e.path)).toContain(pointer);
    }
    const badDate = await ask('filter: { from: "last tuesday" }');
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors![0].message).toContain('DateTime must be an ISO-8601 date-time');
    const unknownField = await graphql(engine, '{ decisions { edges { node { nope } } } }');
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors![0].message).toContain('Cannot query field "nope"');
    expect(batches).toEqual([]);
  });

  it('is introspectable, and the schema it serves is schema.graphql', async () => {
    const res = await graphql(engine, getIntrospectionQuery());
    expect(res.body.errors).toBeUndefined();
    const served = printSchema(lexicographicSortSchema(buildClientSchema(res.body.data as IntrospectionQuery)));
    const committed = readFileSync(SCHEMA_FILE, 'utf8').replace(/^(#.*\n)+\n/, '').trimEnd();
    expect(served).toBe(committed);
  });
});
