import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DECISION_MADE, findHistoryFeature, historyAsOf, historyFeatureValues, upcastDecisionMade, type DecisionMade, type LoggedEvent } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { buildLogisticTestModel } from '@verdict/model-runtime/testing/build-test-model';
import { PersonalData } from '../../apps/engine/src/privacy/personal-data';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { startEngineProcess, type EngineProcess } from '../support/engine-process';
import { change, register } from '../support/model-fixtures';
import { postgresAvailable, randomSchema } from '../support/service-probe';
import { dropSchemas, e2eTopologies, postgresEnv } from '../support/topologies';

/** A model that reads history features beside request features (weights small: every outcome is approve). */
const FEATURES = ['amount', 'card_count_1h', 'card_amount_24h', 'card_seconds_since_last', 'merchant_count_24h', 'device_count_24h'];
const HISTORY_NAMES = FEATURES.slice(1);
const model = (): Uint8Array =>
  buildLogisticTestModel({ features: FEATURES, weights: [0.001, 0.01, 0.0001, -0.00001, 0.001, 0.01], bias: -3, baseline: FEATURES.map(() => 0) });
const POLICY = { version: 'history-1', reviewThreshold: 0.9, declineThreshold: 0.95 };

async function deployHistoryModel(engine: RunningEngine): Promise<void> {
  const res = await register(engine, 'history-demo', '1', model(), { features: FEATURES, policy: POLICY });
  expect(res.status).toBe(201);
  await change(engine, 'PUT', '/champion', { model: 'history-demo', version: '1', reason: 'history features' });
}

async function readiness(engine: RunningEngine): Promise<{ status: string; checks: { history: { status: string; through: number } } }> {
  return (await engine.get('/health/ready')).json();
}

/** Waits until the history thread has applied the log through `position`. */
async function historyThrough(engine: RunningEngine, position: bigint): Promise<void> {
  for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 20))) {
    if (BigInt((await readiness(engine)).checks.history.through) >= position) return;
  }
  throw new Error(`the history thread did not reach ${position}`);
}

async function logOf(store: EventStore): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let after = 0n; ; ) {
    const page = await store.readAll({ after, maxCount: 500 });
    if (page.length === 0) return events;
    events.push(...page);
    after = (page.at(-1) as { position: bigint }).position;
  }
}

/**
 * Each decision that read history features: the values it recorded against those computed again from the log as of
 * its `featuresAsOf` (the columns of whichever model decided it, in its order).
 */
async function recomputed(store: EventStore): Promise<{ decision: DecisionMade; recorded: number[]; again: number[] }[]> {
  const log = await logOf(store);
  const out = [];
  for (const event of log) {
    if (event.type !== DECISION_MADE) continue;
    const decision = upcastDecisionMade(event.data);
    if (decision.featuresAsOf === undefined) continue;
    const names = decision.features.names.filter((n) => findHistoryFeature(n) !== undefined);
    const state = await historyAsOf(log, BigInt(decision.featuresAsOf), decision.historyMaxEntities as number);
    const again = historyFeatureValues(state, decision.request, names).map(Math.fround);
    const recorded = names.map((name) => decision.features.values[decision.features.names.indexOf(name)] as number);
    out.push({ decision, recorded, again });
  }
  return out;
}

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 20, 14, minute, 0)).toISOString();

describe.each(e2eTopologies())('history features over HTTP on $name', (topology) => {
  let engine: RunningEngine;
  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine({ ...topology.env(), VERDICT_WARMUP_DECISIONS: '0' });
    await deployHistoryModel(engine);
  });
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('reports the history thread in readiness once it has caught up with the log', async () => {
    const ready = await readiness(engine);
    expect(ready.status).toBe('ok');
    expect(ready.checks.history).toMatchObject({ status: 'up', maxEntities: 1_000_000 });
  });

  it('scores each decision on what the log held before it, and records the position it read through', async () => {
    const positions: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await engine.post('/v1/decisions', decisionRequest({ cardId: 'card-seq', merchantId: 'm-seq', amount: 10 * (i + 1), occurredAt: at(i * 5), deviceId: 'dev-seq' }));
      expect(res.status).toBe(201);
      positions.push(await engine.store.headPosition());
      await historyThrough(engine, positions.at(-1) as bigint);
    }
    const decisions = (await recomputed(engine.store)).filter((r) => r.decision.request.cardId === engine.resolve(PersonalData).filterValue('cardId', 'card-seq'));
    expect(decisions).toHaveLength(5);
    const last = decisions.at(-1) as (typeof decisions)[number];
    expect(BigInt(last.decision.featuresAsOf as string)).toBeGreaterThanOrEqual(positions[3] as bigint);
    expect(last.decision.historyMaxEntities).toBe(1_000_000);
    // card_count_1h, card_amount_24h, card_seconds_since_last, merchant_count_24h, device_count_24h: four before it.
    expect(last.recorded).toEqual([4, 100, 300, 4, 4]);
    expect(decisions[0]?.recorded).toEqual([0, 0, -1, 0, 0]);
  });

  it('lets each decision see every decision this instance answered before it was asked', async () => {
    // A card tester's requests one after another: each is asked only once the previous one was answered.
    for (let i = 0; i < 8; i++) {
      const res = await engine.post('/v1/decisions', decisionRequest({ cardId: 'card-ryw', merchantId: 'm-ryw', occurredAt: at(i) }));
      expect(res.status).toBe(201);
    }
    const card = engine.resolve(PersonalData).filterValue('cardId', 'card-ryw');
    const decisions = (await recomputed(engine.store)).filter((r) => r.decision.request.cardId === card);
    expect(decisions.map((r) => r.recorded[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]); // card_count_1h
    for (const r of decisions) expect(r.recorded).toEqual(r.again);
  });

  it('gives back every recorded history feature from the log, for concurrent requests of one card and for batches', async () => {
    const concurrent = await Promise.all(
      Array.from({ length: 12 }, (_, i) => engine.post('/v1/decisions', decisionRequest({ cardId: 'card-burst', merchantId: 'm-burst', occurredAt: at(30 + i) }))),
    );
    expect(concurrent.map((r) => r.status)).toEqual(Array(12).fill(201));
    const batch = await engine.post('/v1/decisions/batch', {
      items: Array.from({ length: 6 }, (_, i) => decisionRequest({ cardId: 'card-burst', merchantId: 'm-burst', occurredAt: at(45 + i) })),
    });
    expect(batch.status).toBe(200);
    await historyThrough(engine, await engine.store.headPosition());
    const after = await engine.post('/v1/decisions', decisionRequest({ cardId: 'card-burst', merchantId: 'm-burst', occurredAt: at(52) }));
    expect(after.status).toBe(201);
    const afterId = ((await after.json()) as { transactionId: string }).transactionId;

    const all = await recomputed(engine.store);
    expect(all.length).toBeGreaterThanOrEqual(24);
    for (const r of all) expect({ id: r.decision.decisionId, values: r.recorded }).toEqual({ id: r.decision.decisionId, values: r.again });
    // The last one read the history after every burst decision had been applied: all 18 of them count.
    const last = all.find((r) => r.decision.transactionId === afterId);
    expect(last?.recorded[0]).toBe(18);
  });

  it("replays in recompute-features mode with the history rebuilt from the log: no drift, and the model's outputs bit for bit", async () => {
    const accepted = await engine.post('/v1/replays', { mode: 'recompute-features' });
    expect(accepted.status).toBe(202);
    const { replayId } = (await accepted.json()) as { replayId: string };
    let state: { status: string; report: { counts: Record<string, number> } };
    do {
      await new Promise((r) => setTimeout(r, 50));
      state = await (await engine.get(`/v1/replays/${replayId}`)).json();
    } while (state.status === 'running');
    expect(state.status).toBe('completed');
    const history = (await recomputed(engine.store)).length;
    expect(state.report.counts).toMatchObject({ identical: state.report.counts.decisions, featureDrift: 0 });
    expect(state.report.counts.decisions).toBeGreaterThanOrEqual(history);
  });
});

describe('history features when the history thread fails (SQLite)', () => {
  it('says so in readiness and answers 503 problem+json for a model that reads them, recording nothing', async () => {
    const engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
    try {
      await deployHistoryModel(engine);
      // A decision written by a newer build: the history thread cannot read it, and stops rather than skip it.
      await engine.store.appendToStream('decision-from-the-future', [{ id: randomUUID(), type: DECISION_MADE, data: { schemaVersion: 99 } }], { expectedRevision: 'no_stream' });
      let ready = await readiness(engine);
      for (const until = Date.now() + 15_000; ready.checks.history.status === 'up' && Date.now() < until; ready = await readiness(engine)) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(ready.status).toBe('error');
      expect(ready.checks.history).toMatchObject({ status: 'down', error: expect.stringMatching(/schema version 99/) });
      const head = await engine.store.headPosition();
      const res = await engine.post('/v1/decisions', decisionRequest({ cardId: 'card-failed' }));
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(await res.json()).toMatchObject({ type: '/problems/history-unavailable' });
      expect(await engine.store.headPosition()).toBe(head);
    } finally {
      await engine.stop();
    }
  });
});

describe('history features after a restart (SQLite)', () => {
  it('rebuilds the state from the log before it is ready, so the next decision counts the earlier ones', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-history-'));
    const env = { VERDICT_DATA_DIR: path.join(dir, 'data'), VERDICT_WARMUP_DECISIONS: '0' };
    try {
      const first = await startEngine(env);
      await deployHistoryModel(first);
      for (let i = 0; i < 3; i++) {
        expect((await first.post('/v1/decisions', decisionRequest({ cardId: 'card-restart', occurredAt: at(i) }))).status).toBe(201);
      }
      // The log then ends in an event that is not a decision: the restarted state must still count as caught up.
      await change(first, 'PUT', '/policy', { target: 'champion', ...POLICY, version: 'history-2', reason: 'last event is not a decision' });
      await first.stop();

      const second = await startEngine(env);
      try {
        expect((await readiness(second)).checks.history).toMatchObject({ status: 'up' });
        const res = await second.post('/v1/decisions', decisionRequest({ cardId: 'card-restart', occurredAt: at(10) }));
        expect(res.status).toBe(201);
        const mine = (await recomputed(second.store)).filter((r) => r.decision.request.cardId === second.resolve(PersonalData).filterValue('cardId', 'card-restart'));
        expect(mine.at(-1)?.recorded[0]).toBe(3);
        for (const r of mine) expect(r.recorded).toEqual(r.again);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Two engine processes writing to one PostgreSQL log at once: each feeds its history from the log, so each counts
 * the other's decisions once they are in its state, and every recorded value is still exactly what the log held
 * through the position the decision recorded.
 */
const pg = postgresAvailable('history features with two engine instances');
(pg ? describe : describe.skip)('history features with two instances writing concurrently (PostgreSQL)', () => {
  const schemas = { es: randomSchema('verdict_hist2_es'), rm: randomSchema('verdict_hist2_rm'), art: randomSchema('verdict_hist2_art') };
  const env = { ...postgresEnv(schemas), VERDICT_WARMUP_DECISIONS: '0' };
  let a: RunningEngine;
  let b: EngineProcess;
  // b shares a's store, so a's admin key (b's data dir has none: the store had keys when b started).
  const postB = (body: unknown) => fetch(`${b.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.adminKey}` }, body: JSON.stringify(body) });

  beforeAll(async () => {
    a = await startEngine(env);
    b = await startEngineProcess({ ...env, VERDICT_PROJECTIONS: 'off', VERDICT_DATA_DIR: `${a.dataDir}-b` });
    await deployHistoryModel(a);
    // b follows the deployment stream: wait until it decides with the history model too.
    for (const until = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 50))) {
      const state = (await (await fetch(`${b.url}/v1/deployment`, { headers: { authorization: `Bearer ${a.adminKey}` } })).json()) as { champion: { name: string } };
      if (state.champion.name === 'history-demo') break;
      if (Date.now() > until) throw new Error(`the second instance still decides with ${state.champion.name} 30 s after the deployment`);
    }
  }, 120_000); // a second engine process to start, then its deployment to follow
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await dropSchemas(...Object.values(schemas));
  });

  it('records on both instances exactly what the log held through featuresAsOf, and each counts the other\'s decisions', async () => {
    const cards = ['card-two-1', 'card-two-2', 'card-two-3'];
    const sent = Array.from({ length: 60 }, (_, i) => decisionRequest({ cardId: cards[i % 3], merchantId: 'm-two', deviceId: `dev-${i % 2}`, occurredAt: at(i % 50) }));
    const answers = await Promise.all(sent.map((body, i) => (i % 2 === 0 ? a.post('/v1/decisions', body) : postB(body))));
    expect(answers.map((r) => r.status)).toEqual(Array(60).fill(201));

    // Once a's history has applied everything, a decision on a card counts all 20 earlier ones, from both instances.
    await historyThrough(a, await a.store.headPosition());
    const last = await a.post('/v1/decisions', decisionRequest({ cardId: 'card-two-1', merchantId: 'm-two', occurredAt: at(55) }));
    expect(last.status).toBe(201);

    const all = (await recomputed(a.store)).filter((r) => r.decision.request.merchantId === 'm-two');
    expect(all).toHaveLength(61);
    for (const r of all) expect({ id: r.decision.decisionId, values: r.recorded }).toEqual({ id: r.decision.decisionId, values: r.again });
    const lastId = ((await last.json()) as { decisionId: string }).decisionId;
    // merchant_count_24h (index 3 of HISTORY_NAMES): every one of the 60 at this terminal, whichever instance decided it.
    expect(all.find((r) => r.decision.decisionId === lastId)?.recorded[HISTORY_NAMES.indexOf('merchant_count_24h')]).toBe(60);
  }, 60_000);
});
