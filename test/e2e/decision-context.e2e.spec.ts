import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { decideDeployment, DEPLOYMENT_STREAM, TRANSACTION_LABELLED } from '@verdict/domain';
import { DeploymentFollower } from '../../apps/engine/src/deployment/deployment-follower';
import { SEAL_INDEX } from '../../apps/engine/src/audit/seal-index.port';
import { MemorySealIndex } from '../../apps/engine/src/audit/testing/memory-seal-index';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { e2eTopologies } from '../support/topologies';

const PROBLEM = 'application/problem+json';

describe.each(e2eTopologies())('decision context over HTTP ($name)', (topology) => {
  let engine: RunningEngine;
  const seals = new MemorySealIndex('2026-12-03T12:00:00.000Z');
  const cardId = `card-ctx-${randomUUID().slice(0, 8)}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const decided: any[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let target: any;

  const decide = async (overrides: Record<string, unknown> = {}) => {
    const res = await engine.post('/v1/decisions', decisionRequest({ cardId, ...overrides }));
    expect(res.status).toBe(201);
    return res.json();
  };

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env(), [{ provide: SEAL_INDEX, useValue: seals }]);
    for (let i = 0; i < 12; i++) decided.push(await decide({ amount: 10 + i }));
    // Another card in between: not a neighbour.
    await engine.post('/v1/decisions', decisionRequest({ cardId: `${cardId}-other` }));
    target = await decide({ amount: 777.5 });
    // A deployment change after the target: its context must still show the deployment it was made under.
    const policy = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: `ctx-${randomUUID().slice(0, 6)}`, reviewThreshold: 0.2, declineThreshold: 0.9, reason: 'context test' });
    expect(policy.status).toBe(200);
    for (let i = 0; i < 12; i++) decided.push(await decide({ amount: 100 + i }));
    await engine.caughtUp(Number(await engine.store.headPosition()));
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('answers the decision, its deployment then, the model card, policy, labels, seal and the card around it', async () => {
    // One label in schema version 1, one in the form written before any (no schemaVersion, ids or recordedBy).
    const labels = [
      { schemaVersion: 1, labelId: randomUUID(), transactionId: target.transactionId, decisionId: target.decisionId, label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T09:00:00.000Z', amount: 777.5, note: 'reason code 10.4', recordedBy: 'importer' },
      { labelId: randomUUID(), label: 'legitimate', source: 'manual', reportedAt: '2026-12-02T10:00:00.000Z' },
    ];
    await engine.store.appendToStream(
      `decision-${target.transactionId}`,
      labels.map((data) => ({ id: randomUUID(), type: TRANSACTION_LABELLED, data: { ...data } })),
      { expectedRevision: 0n },
    );
    const seal = seals.seal(BigInt(target.position));

    const res = await engine.get(`/v1/decisions/${target.decisionId}/context`);
    expect(res.status).toBe(200);
    const ctx = await res.json();

    expect(ctx.decision).toMatchObject({ decisionId: target.decisionId, transactionId: target.transactionId, score: target.score, position: target.position });
    expect(ctx.policy).toEqual(target.policy);

    // The deployment as it stood when the decision was made, not the current one (the policy changed since).
    expect(ctx.deployment.at).toBe(target.decidedAt);
    expect(ctx.deployment.revision).toBe(target.deployment.revision);
    expect(ctx.deployment.policy).toEqual(target.policy);
    expect(ctx.deployment.champion).toMatchObject({ name: target.model.name, version: target.model.version });
    const now = await (await engine.get('/v1/deployment')).json();
    expect(now.revision).toBeGreaterThan(ctx.deployment.revision);
    const then = await (await engine.get(`/v1/deployment?at=${encodeURIComponent(target.decidedAt)}`)).json();
    expect(ctx.deployment).toEqual(then);

    // The registered version's manifest and card figures, as the registry has them.
    const registered = await (await engine.get(`/v1/models/${target.model.name}/versions/${target.model.version}`)).json();
    expect(ctx.model).toMatchObject({ name: target.model.name, version: target.model.version, matchesDecision: true, manifest: registered.manifest });
    expect(ctx.model.metrics).toEqual(registered.manifest.metrics ?? null);

    expect(ctx.labels).toEqual([{ ...labels[0], schemaVersion: 2 }, { ...labels[1], schemaVersion: 2, transactionId: target.transactionId, decisionId: target.decisionId, recordedBy: 'unknown' }]);
    expect(ctx.seal).toEqual({
      index: seal.index,
      sealHash: seal.sealHash,
      fromPosition: seal.fromPosition.toString(),
      toPosition: seal.toPosition.toString(),
      sealedAt: seal.sealedAt,
      keyId: seal.keyId,
    });
    expect(ctx.sealing).toEqual({ sealedThrough: seal.toPosition.toString(), nextSealDueBy: '2026-12-03T12:00:00.000Z' });

    // Ten of the card's decisions on each side, in log order, none of another card.
    expect(ctx.card.cardId).toBe(cardId);
    expect(ctx.card.before.map((d: { decisionId: string }) => d.decisionId)).toEqual(decided.slice(2, 12).map((d) => d.decisionId));
    expect(ctx.card.after.map((d: { decisionId: string }) => d.decisionId)).toEqual(decided.slice(12, 22).map((d) => d.decisionId));

    // The published OpenAPI document describes this answer.
    const doc = await (await engine.get('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/decisions/{decisionId}/context', '/v1/exports/decisions']));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'verdict', components: doc.components }, 'verdict');
    const validate = ajv.getSchema('verdict#/components/schemas/DecisionContext')!;
    expect(validate(ctx) ? [] : validate.errors).toEqual([]);
  });

  it('has no labels and no seal for a decision not labelled or sealed yet', async () => {
    const last = decided[decided.length - 1];
    const ctx = await (await engine.get(`/v1/decisions/${last.decisionId}/context`)).json();
    expect(ctx.labels).toEqual([]);
    expect(ctx.seal).toBeNull();
    expect(ctx.card.after).toEqual([]);
    expect(ctx.card.before).toHaveLength(10);
    expect(ctx.deployment.revision).toBe(last.deployment.revision);
    expect(ctx.policy).toEqual(last.policy);
    expect(ctx.policy.reviewThreshold).toBe(0.2);
  });

  it('answers 404 problem+json for an unknown or malformed id', async () => {
    for (const id of [randomUUID(), 'not%20an%20id']) {
      const res = await engine.get(`/v1/decisions/${id}/context`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain(PROBLEM);
      expect(await res.json()).toMatchObject({ type: '/problems/decision-not-found', status: 404 });
    }
  });

  // Last: it changes the deployment.
  it('shows the deployment the decision records, even when a change stamped before it landed after it', async () => {
    const made = await decide();
    // A change whose `at` precedes the decision, appended after it: while a change's models load, the previous revision
    // goes on deciding, so by time alone its decisions can fall after the change.
    const state = engine.resolve(DeploymentFollower).latest();
    expect(made.deployment.revision).toBe(state.revision);
    const policy = { version: `late-${randomUUID().slice(0, 6)}`, reviewThreshold: 0.3, declineThreshold: 0.95 };
    const event = decideDeployment(state, { kind: 'set-policy', target: 'champion', policy, reason: 'stamped early' }, {
      actor: 'test',
      now: new Date(Date.parse(made.decidedAt) - 1).toISOString(),
      lookup: () => undefined,
      newDeploymentId: () => randomUUID(),
    });
    await engine.store.appendToStream(DEPLOYMENT_STREAM, [{ id: randomUUID(), type: event.type, data: { ...event.data } }], { expectedRevision: BigInt(state.revision - 1) });

    const ctx = await (await engine.get(`/v1/decisions/${made.decisionId}/context`)).json();
    expect(ctx.deployment).toMatchObject({ at: made.decidedAt, revision: made.deployment.revision, policy: made.policy });
    expect(ctx.deployment.events.map((e: { revision: number }) => e.revision).every((r: number) => r <= made.deployment.revision)).toBe(true);
    // By time alone the late change is named: the context does not go by time.
    const byTime = await (await engine.get(`/v1/deployment?at=${encodeURIComponent(made.decidedAt)}`)).json();
    expect(byTime).toMatchObject({ revision: made.deployment.revision + 1, policy });
  });
});

describe('read-your-writes without the read model (VERDICT_PROJECTIONS=off)', () => {
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startEngine({ VERDICT_PROJECTIONS: 'off' });
  }, 60_000);
  afterAll(async () => engine?.stop());

  it('serves the Location of a 201 (and its context) at once, from the event store', async () => {
    const res = await engine.post('/v1/decisions', decisionRequest());
    expect(res.status).toBe(201);
    const made = await res.json();
    const location = res.headers.get('location')!;
    const list = await (await engine.get(`/v1/decisions?cardId=${made.transactionId}`)).json();
    expect(list.items).toEqual([]); // nothing projected: the read model knows nothing

    const got = await engine.get(location);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ decisionId: made.decisionId, transactionId: made.transactionId, position: made.position });
    const ctx = await engine.get(`${location}/context`);
    expect(ctx.status).toBe(200);
    expect(await ctx.json()).toMatchObject({ decision: { decisionId: made.decisionId }, labels: [], seal: null, card: { before: [], after: [] } });
  });

  it('serves the Location of a retry (200) too', async () => {
    const body = decisionRequest();
    await engine.post('/v1/decisions', body);
    const retry = await engine.post('/v1/decisions', body);
    expect(retry.status).toBe(200);
    expect((await engine.get(retry.headers.get('location')!)).status).toBe(200);
  });

  it('finds a decision another instance answered by scanning the unprojected tail of the log', async () => {
    const made = await (await engine.post('/v1/decisions', decisionRequest())).json();
    const [event] = await engine.store.readStream(`decision-${made.transactionId}`);
    // The same kind of event, appended by "another instance": this one never answered it.
    const transactionId = `elsewhere-${randomUUID()}`;
    const { decisionIdFor } = await import('@verdict/domain');
    const decisionId = decisionIdFor(transactionId);
    const data = { ...event.data, transactionId, decisionId, request: { ...(event.data.request as object), transactionId } };
    await engine.store.appendToStream(`decision-${transactionId}`, [{ id: decisionId, type: event.type, data, metadata: event.metadata }], { expectedRevision: 'no_stream' });
    const res = await engine.get(`/v1/decisions/${decisionId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ decisionId, transactionId });
    expect((await engine.get(`/v1/decisions/${randomUUID()}`)).status).toBe(404);
  });
});
