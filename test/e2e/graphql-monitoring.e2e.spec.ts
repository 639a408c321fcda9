import { randomUUID } from 'node:crypto';
import { PERFORMANCE_DEGRADED } from '@verdict/domain';
import type { Client } from 'graphql-ws';
import { PerformanceMonitor } from '../../apps/engine/src/monitoring/performance-monitor';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { graphql, metricReaches, subscribe, wsClient } from '../support/graphql-client';
import { e2eTopologies } from '../support/topologies';

interface Made {
  decisionId: string;
  transactionId: string;
  outcome: string;
  position: number;
  score: number;
  model: { name: string; version: string };
}

const ALERT_SUBSCRIBERS = 'verdict_graphql_alert_subscribers';

describe.each(e2eTopologies())('GraphQL for analysts: alerts, reviews, performance, drift, alertRaised ($name)', (topology) => {
  let engine: RunningEngine;
  let ws: Client;
  const made: Made[] = [];

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine({ ...topology.env(), VERDICT_PERFORMANCE_CHECK_SECONDS: '0', VERDICT_PERFORMANCE_MIN_LABELS: '10', VERDICT_PERFORMANCE_MARGIN: '0.1' });
    const policy = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: `gql-${randomUUID().slice(0, 6)}`, reviewThreshold: 0.01, declineThreshold: 0.05, reason: 'graphql monitoring test' });
    expect(policy.status).toBe(200);
    for (let i = 0; i < 30; i++) {
      const res = await engine.post('/v1/decisions', decisionRequest({ amount: [3, 80, 950, 4_000, 12_000][i % 5] * (1 + i / 100), country: i % 3 ? 'DE' : 'NG' }));
      made.push(await res.json());
    }
    await engine.caughtUp(Math.max(...made.map((d) => d.position)));
    ws = wsClient(engine);
  }, 120_000);
  afterAll(async () => {
    await ws?.dispose();
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('streams a PerformanceDegraded alert raised by the monitor to an alertRaised subscriber, and lists it in alerts', async () => {
    const live = subscribe<{ alertRaised: { alertId: string; type: string; model: string; version: string; summary: string; data: { recall: number } } }>(
      ws,
      'subscription { alertRaised(filter: { type: PerformanceDegraded }) { alertId type model version summary data } }',
    );
    await metricReaches(engine, ALERT_SUBSCRIBERS, 1);

    // Everything the model let through was fraud, everything it declined legitimate: recall is 0, far below its card.
    const reportedAt = new Date().toISOString();
    const labels = made.map((d) => ({ transactionId: d.transactionId, labelId: 'truth', label: d.outcome === 'decline' ? 'legitimate' : 'fraud', source: 'chargeback', reportedAt }));
    expect((await (await engine.post('/v1/labels/batch', { labels })).json()).created).toBe(30);
    const labelled = await Promise.all(made.map(async (d) => (await engine.store.readStream(`decision-${d.transactionId}`)).at(-1)?.position ?? 0n));
    await engine.caughtUp(Number(labelled.reduce((a, b) => (a > b ? a : b))));
    await new Promise((r) => setTimeout(r, 5)); // asOf is "now": strictly after reportedAt
    await engine.resolve(PerformanceMonitor).checkNow();

    const { value } = await live.next();
    const alert = value?.data?.alertRaised;
    expect(alert).toMatchObject({ type: PERFORMANCE_DEGRADED, model: made[0]?.model.name, version: made[0]?.model.version, data: { recall: 0 } });
    await live.stop();

    const [event] = await engine.store.readStream(`monitoring-${made[0]?.model.name}`);
    expect(event?.id).toBe(alert?.alertId);
    await engine.caughtUp(Number(event?.position));
    const listed = await graphql(engine, 'query($f: AlertFilter) { alerts(filter: $f, first: 10) { edges { cursor node { alertId type summary raisedAt } } pageInfo { hasNextPage endCursor } } }', { f: { model: made[0]?.model.name } });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.alerts.edges[0].node).toMatchObject({ alertId: alert?.alertId, type: PERFORMANCE_DEGRADED, summary: alert?.summary });
    const rest = await (await engine.get(`/v1/alerts?model=${made[0]?.model.name}`)).json();
    expect(listed.body.data.alerts.edges.map((e: { node: { alertId: string } }) => e.node.alertId)).toEqual(rest.items.map((a: { alertId: string }) => a.alertId));
    const drift = await graphql(engine, '{ alerts(filter: { type: DriftDetected }) { edges { node { alertId } } } }');
    expect(drift.body.data.alerts.edges).toEqual([]);
    const bad = await graphql(engine, '{ alerts(filter: { model: "no spaces allowed" }) { edges { cursor } } }');
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-query', errors: [{ path: '/filter/model' }] });
  });

  it("lists the review queue as GET /v1/reviews does, with a claim's holder", async () => {
    const reviewed = made.filter((d) => d.outcome === 'review');
    expect(reviewed.length).toBeGreaterThan(0);
    const query = 'query($f: ReviewFilter) { reviews(filter: $f, first: 100) { edges { cursor node { status claim { reviewer expiresAt } decision { decisionId outcome score } } } pageInfo { hasNextPage } } }';
    const open = await graphql(engine, query, { f: { status: 'open', order: 'age' } });
    expect(open.body.errors).toBeUndefined();
    const openIds = open.body.data.reviews.edges.map((e: { node: { decision: { decisionId: string } } }) => e.node.decision.decisionId);
    const restOpen = await (await engine.get('/v1/reviews?status=open&order=age&limit=100')).json();
    expect(openIds).toEqual(restOpen.items.map((i: { decision: { decisionId: string } }) => i.decision.decisionId));
    expect(openIds).toEqual(expect.arrayContaining(reviewed.map((d) => d.decisionId)));

    const target = reviewed[0] as Made;
    const claim = await engine.post(`/v1/reviews/${target.decisionId}/claim`, {}, { 'x-verdict-actor': 'ana' });
    expect(claim.status).toBe(200);
    await engine.caughtUp(Number((await engine.store.readStream(`decision-${target.transactionId}`)).at(-1)?.position));
    const claimed = await graphql(engine, query, { f: { status: 'claimed' } });
    expect(claimed.body.data.reviews.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { status: 'claimed', claim: { reviewer: 'admin/ana', expiresAt: expect.any(String) }, decision: { decisionId: target.decisionId, outcome: 'review', score: target.score } },
    ]);
    const bad = await graphql(engine, query, { f: { modelVersion: '1.0.0' } });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-query', errors: [{ path: '/filter/modelVersion' }] });
  });

  it("reads a version's performance beside its card, and its drift windows, through the model", async () => {
    const name = made[0]?.model.name as string;
    const version = made[0]?.model.version as string;
    const answer = await graphql(
      engine,
      `query($name: ID!) { model(name: $name) { versions { version
         performance { asOf overall { decisions labelled { fraud legitimate } labelCoverage precision recall falsePositiveRate confusion { declinedFraud approvedFraud } }
                       card { recall source } againstCard { recall } byArm { arm figures { decisions } } }
         drift(window: "1h") { windowSeconds minDecisions windows { from decisions judged features { feature psi breached } } } } } }`,
      { name },
    );
    expect(answer.body.errors).toBeUndefined();
    const v = answer.body.data.model.versions.find((x: { version: string }) => x.version === version);
    const rest = await (await engine.get(`/v1/models/${name}/versions/${version}/performance`)).json();
    expect(v.performance.overall).toMatchObject({ decisions: rest.overall.decisions, recall: rest.overall.recall, precision: rest.overall.precision, labelled: rest.overall.labelled });
    expect(v.performance.overall.recall).toBe(0);
    expect(v.performance.card.source).toBe(rest.card.source);
    expect(v.performance.byArm).toEqual([{ arm: 'champion', figures: { decisions: rest.overall.decisions } }]);
    expect(v.drift.windowSeconds).toBe(3600);
    const restDrift = await (await engine.get(`/v1/monitoring/drift?model=${name}&version=${version}&window=1h`)).json();
    expect(v.drift.windows.map((w: { decisions: number }) => w.decisions)).toEqual(restDrift.versions[0].windows.map((w: { decisions: number }) => w.decisions));

    const inverted = await graphql(engine, `{ model(name: "${name}") { versions { performance(from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z") { asOf } } } }`);
    expect(inverted.body.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-query', errors: [{ path: '/to' }] });
  });
});
