import { canonicalJson, DECISION_MADE, sha256Hex } from '@verdict/domain';
import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { BOOTSTRAP_VERSION, bootstrapPolicy, change, demoModelBytes, register } from '../support/model-fixtures';
import { e2eTopologies } from '../support/topologies';

const decide = async (engine: RunningEngine, overrides: Record<string, unknown> = {}) => {
  const res = await engine.post('/v1/decisions', decisionRequest(overrides));
  expect(res.status).toBe(201);
  return res.json();
};

describe.each(e2eTopologies())('deployments over HTTP ($name)', (topology) => {
  let engine: RunningEngine;

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env());
    for (const v of ['2', '3']) expect((await register(engine, 'fraud-demo', v, demoModelBytes())).status).toBe(201);
  });
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('bootstraps a fresh data directory: the bundled model is champion, put there by "bootstrap"', async () => {
    const res = await engine.get('/v1/deployment?at=2100-01-01T00:00:00Z');
    const at = await res.json();
    expect(at.events[0]).toMatchObject({ revision: 1, type: 'ChampionChanged', actor: 'bootstrap' });
    const d = await decide(engine);
    expect(d.model).toMatchObject({ name: 'fraud-demo', version: BOOTSTRAP_VERSION });
    expect(d.deployment).toEqual({ revision: expect.any(Number), arm: 'champion' });
  });

  it('blue-green: switches the champion (standby kept), answers with ETag, and rolls back instantly', async () => {
    const before = await (await engine.get('/v1/deployment')).json();
    const res = await engine.send('PUT', '/v1/deployment/champion', { model: 'fraud-demo', version: '2', reason: 'ship 2' }, { 'x-verdict-actor': 'alice' });
    expect(res.status).toBe(200);
    const state = await res.json();
    expect(res.headers.get('etag')).toBe(`"${state.revision}"`);
    expect(state).toMatchObject({ revision: before.revision + 1, champion: { name: 'fraud-demo', version: '2' }, standby: { model: { version: before.champion.version } }, policy: bootstrapPolicy() });
    // In force on this instance when the answer was sent:
    const d = await decide(engine);
    expect(d).toMatchObject({ model: { version: '2' }, deployment: { revision: state.revision, arm: 'champion' } });

    const back = await change(engine, 'POST', '/rollback', { reason: 'regression' });
    expect(back).toMatchObject({ champion: { version: before.champion.version }, standby: { model: { version: '2' } } });
    expect((await decide(engine)).model.version).toBe(before.champion.version);
  });

  it('If-Match: a stale revision gets 412; concurrent changes without it are each applied or refused (409), never lost', async () => {
    const { revision } = await (await engine.get('/v1/deployment')).json();
    const stale = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: 'p-stale', reviewThreshold: 0.1, declineThreshold: 0.5, reason: 'x' }, { 'if-match': `"${revision - 1}"` });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ type: '/problems/precondition-failed', revision });

    const race = await Promise.all(
      Array.from({ length: 8 }, (_, i) => engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: `p-race-${i}`, reviewThreshold: 0.1, declineThreshold: 0.5, reason: 'race' })),
    );
    const bodies = await Promise.all(race.map((r) => r.json()));
    expect(race.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const applied = bodies.filter((_, i) => race[i].status === 200);
    // Every 200 made its own revision, and the log holds exactly those changes: nothing was overwritten unseen.
    expect(new Set(applied.map((b) => b.revision)).size).toBe(applied.length);
    const after = await (await engine.get('/v1/deployment')).json();
    expect(after.revision).toBe(revision + applied.length);
    for (const [i, b] of bodies.entries()) if (race[i].status === 409) expect(b).toMatchObject({ type: '/problems/deployment-conflict', revision: expect.any(Number) });
    await change(engine, 'PUT', '/policy', { target: 'champion', ...bootstrapPolicy(), reason: 'back to the recommended policy' });
  });

  it('binds a policy version to its thresholds', async () => {
    const res = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', ...bootstrapPolicy(), declineThreshold: 0.99, reason: 'x' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ type: '/problems/deployment-rule', rule: 'policy-version-conflict' });
  });

  it('canary at 10 % by card: about 10 % of cards go to the challenger, always the same ones; then promote', async () => {
    const deployed = await change(engine, 'PUT', '/challenger', { model: 'fraud-demo', version: '3', mode: 'canary', trafficPercent: 10, reason: 'try 3' });
    expect(deployed.challenger).toMatchObject({ mode: 'canary', trafficPercent: 10, routingKey: 'cardId', model: { version: '3' } });
    const cards = Array.from({ length: 400 }, (_, i) => `canary-card-${i}`);
    const arms = new Map<string, string>();
    for (const cardId of cards) {
      const d = await decide(engine, { cardId });
      arms.set(cardId, d.deployment.arm);
      if (d.deployment.arm === 'challenger') expect(d.model.version).toBe('3');
      else expect(d.model.version).not.toBe('3');
    }
    const share = [...arms.values()].filter((a) => a === 'challenger').length / cards.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.16);
    for (const cardId of cards.slice(0, 100)) expect((await decide(engine, { cardId })).deployment.arm).toBe(arms.get(cardId));

    const raised = await change(engine, 'PATCH', '/challenger', { trafficPercent: 50, reason: 'more' });
    expect(raised.challenger).toMatchObject({ trafficPercent: 50 });
    for (const cardId of cards.filter((c) => arms.get(c) === 'challenger')) expect((await decide(engine, { cardId })).deployment.arm).toBe('challenger');

    const promoted = await change(engine, 'POST', '/challenger/promote', { reason: 'good' });
    expect(promoted).toMatchObject({ champion: { version: '3' }, challenger: null });
    expect((await decide(engine)).model.version).toBe('3');
  });

  it('shadow: the champion decides, the challenger’s verdict on the same request is recorded in the event', async () => {
    await change(engine, 'PUT', '/challenger', { model: 'fraud-demo', version: '2', mode: 'shadow', policy: { version: 'shadow-strict', reviewThreshold: 0, declineThreshold: 0 }, reason: 'watch 2' });
    const d = await decide(engine);
    expect(d.deployment.arm).toBe('champion');
    const record = await (await engine.get(`/v1/transactions/${d.transactionId}/decision`)).json();
    expect(record.shadow).toMatchObject({ model: { name: 'fraud-demo', version: '2' }, policy: { version: 'shadow-strict' }, outcome: 'decline', score: expect.any(Number) });
    expect(record.shadow.score).toBeCloseTo(record.score, 6); // same bytes, same request
    await change(engine, 'POST', '/challenger/rollback', { reason: 'seen enough' });
  });

  it('answers "what was live at T" with the events that made it so, and lists the history with cursors', async () => {
    await engine.caughtUp(Number(await engine.store.headPosition())); // the history is a read model
    const history = await (await engine.get('/v1/deployment/history?limit=3')).json();
    expect(history.items).toHaveLength(3);
    expect(history.items[0].revision).toBeGreaterThan(history.items[1].revision);
    const rest = await (await engine.get(`/v1/deployment/history?limit=500&cursor=${history.nextCursor}`)).json();
    const revisions = [...history.items, ...rest.items].map((e: { revision: number }) => e.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => b - a));
    expect(revisions.at(-1)).toBe(1);

    const promoted = [...history.items, ...rest.items].find((e: { type: string }) => e.type === 'ChallengerPromoted');
    const justBefore = new Date(Date.parse(promoted.at) - 1).toISOString();
    const then = await (await engine.get(`/v1/deployment?at=${justBefore}`)).json();
    expect(then).toMatchObject({ at: justBefore, revision: promoted.revision - 1, challenger: { model: { version: '3' }, trafficPercent: 50 } });
    expect(then.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['ChallengerDeployed', 'CanaryTrafficChanged']));
    expect((await engine.get('/v1/deployment?at=yesterday')).status).toBe(400);
  });

  it('reads version-1 decisions (before deployments) through the upcaster, in every query', async () => {
    const fixture = new DecisionMadeFixture(`v1-${Date.now()}`);
    const generated = fixture.event({ schemaVersion: 1 });
    // As the engine of that time wrote it: the request hash over the canonical request.
    const data = { ...generated.data, requestHash: sha256Hex(canonicalJson(generated.data.request)) };
    const old = { ...generated, data, event: { ...generated.event, data: data as unknown as Record<string, unknown> } };
    const { position } = await engine.store.appendToStream(old.streamId, [old.event], { expectedRevision: 'no_stream' });
    expect(old.event.type).toBe(DECISION_MADE);
    const record = await (await engine.get(`/v1/transactions/${old.data.transactionId}/decision`)).json();
    expect(record).toMatchObject({ schemaVersion: 4, storedSchemaVersion: 1, deployment: { revision: 0, arm: 'champion', bucket: null } });
    await engine.caughtUp(Number(position));
    expect((await engine.get(`/v1/decisions/${old.data.decisionId}`)).status).toBe(200);
    const list = await (await engine.get(`/v1/decisions?cardId=${old.data.request.cardId}`)).json();
    expect(list.items.map((i: { decisionId: string }) => i.decisionId)).toContain(old.data.decisionId);
    // A retry of a version-1 decision is answered from the upcast event.
    const retry = await engine.post('/v1/decisions', old.data.request);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ decisionId: old.data.decisionId, deployment: { revision: 0, arm: 'champion' } });
  });

  it('refuses bad changes with a problem and the field path, changing nothing', async () => {
    const { revision } = await (await engine.get('/v1/deployment')).json();
    const bad = await engine.send('PUT', '/v1/deployment/challenger', { model: 'fraud-demo', version: '2', mode: 'blue', reason: '' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(['/mode', '/reason']);
    expect((await engine.send('PUT', '/v1/deployment/champion', { model: 'nope', version: '1', reason: 'x' })).status).toBe(404);
    expect((await engine.send('POST', '/v1/deployment/challenger/promote', { reason: 'x' })).status).toBe(409);
    expect((await engine.get('/v1/deployment')).headers.get('etag')).toBe(`"${revision}"`);
  });
});
