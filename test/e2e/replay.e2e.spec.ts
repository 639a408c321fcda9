import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  canonicalJson,
  DECISION_MADE,
  decisionStreamId,
  REPLAY_COMPLETED,
  REPLAY_REQUESTED,
  replayStreamId,
  resolveFeatureColumn,
  sha256Hex,
  type DecisionMade,
  type FeatureColumnSpec,
} from '@verdict/domain';
import { NO_STREAM } from '@verdict/event-store';
import { FakeEsdbServer } from '../../libs/event-store/src/esdb/testing/fake-esdb-server';
import { ARTIFACT_STORE } from '../../apps/engine/src/infrastructure/tokens';
import { ReplayModels } from '../../apps/engine/src/replay/replay-models';
import { runReplay } from '../../apps/engine/src/replay/replay-run';
import { modelVariant } from '../../tools/bench/replay/model-variant';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { change, demoModelBytes, demoPolicy, register } from '../support/model-fixtures';
import { postgresAvailable, randomSchema } from '../support/service-probe';
import { dropSchemas, postgresEnv } from '../support/topologies';
import { withClient } from '../../libs/event-store/src/postgres/testing/postgres-test-database';

const variantBytes = (): Uint8Array => modelVariant(demoModelBytes(), 'variant for the replay test');

interface Topology {
  readonly name: string;
  readonly env: () => Record<string, string>;
  tamper(engine: RunningEngine, sha256: string, how: 'alter' | 'remove'): Promise<void>;
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
}

function artifactFile(engine: RunningEngine, sha256: string): string {
  const root = engine.config.artifactStore.url;
  const found = readdirSync(root, { recursive: true, withFileTypes: true }).find((e) => e.isFile() && e.name.startsWith(sha256));
  if (!found) throw new Error(`no artifact file for ${sha256} under ${root}`);
  return path.join(found.parentPath, found.name);
}

async function tamperFile(engine: RunningEngine, sha: string, how: 'alter' | 'remove'): Promise<void> {
  const file = artifactFile(engine, sha);
  if (how === 'remove') rmSync(file);
  else writeFileSync(file, Buffer.concat([demoModelBytes(), Buffer.from([0])]));
}

let esdb: FakeEsdbServer | undefined;
let esdbUrl = '';
const topologies: Topology[] = [
  { name: 'sqlite + filesystem artifacts', env: () => ({}), tamper: tamperFile },
  {
    name: 'esdb (wire-compatible test server) + filesystem artifacts',
    setUp: async () => {
      esdb = new FakeEsdbServer();
      esdbUrl = (await esdb.start()).connectionString;
    },
    env: () => ({ VERDICT_EVENT_STORE: 'esdb', VERDICT_EVENT_STORE_URL: esdbUrl }),
    tamper: tamperFile,
    tearDown: async () => esdb?.stop(),
  },
];
if (postgresAvailable('replay e2e on PostgreSQL')) {
  const schemas = { es: randomSchema('verdict_replay_es'), rm: randomSchema('verdict_replay_rm'), art: randomSchema('verdict_replay_art') };
  const sql = (text: string, params: unknown[] = []) => withClient((c) => c.query(text, params)).then(() => undefined);
  topologies.push({
    name: 'postgres store + postgres artifacts',
    env: () => postgresEnv(schemas),
    tamper: (_engine, sha, how) =>
      how === 'remove'
        ? sql(`DELETE FROM "${schemas.art}".model_artifacts WHERE sha256 = $1`, [sha])
        : sql(`UPDATE "${schemas.art}".model_artifacts SET bytes = bytes || '\\x00'::bytea WHERE sha256 = $1`, [sha]),
    tearDown: () => dropSchemas(...Object.values(schemas)),
  });
}

/** Varied requests, so that decisions land on every outcome and many feature values. */
function variedRequest(i: number): Record<string, unknown> {
  const countries = ['FR', 'DE', 'US', 'NG', 'BR'];
  return decisionRequest({
    amount: [3.2, 42.5, 310, 1999.99, 8700][i % 5],
    country: countries[i % 5],
    channel: ['pos', 'ecom', 'moto'][i % 3],
    cardId: `replay-card-${i % 7}`,
    occurredAt: new Date(Date.UTC(2026, 10, 20, i % 24, (i * 7) % 60)).toISOString(),
    attributes: { cardCountry: countries[(i + 1) % 5] },
  });
}

describe.each(topologies)('replay on $name', (topology) => {
  let engine: RunningEngine;
  const decided: DecisionMade[] = [];
  /** The card id each decision was asked for (the stored event holds its pseudonym). */
  const cards: string[] = [];
  let variantSha: string;
  let demoSha: string;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function replay(body: unknown): Promise<any> {
    const accepted = await engine.post('/v1/replays', body);
    expect(accepted.status).toBe(202);
    const { replayId } = await accepted.json();
    expect(accepted.headers.get('location')).toBe(`/v1/replays/${replayId}`);
    for (;;) {
      const state = await (await engine.get(`/v1/replays/${replayId}`)).json();
      if (state.status !== 'running') return state;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function decide(n: number, offset: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const sent = variedRequest(offset + i);
      cards.push(sent.cardId as string);
      const res = await engine.post('/v1/decisions', sent);
      expect(res.status).toBe(201);
      const body = await res.json();
      const [event] = await engine.store.readStream(decisionStreamId(body.transactionId));
      decided.push(event.data as unknown as DecisionMade);
    }
  }

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env());
    await decide(120, 0);
    const registered = await register(engine, 'fraud-demo', 'variant', variantBytes(), { policy: { ...demoPolicy(), version: 'variant-policy' } });
    expect(registered.status).toBe(201);
    variantSha = (await registered.json()).sha256;
    demoSha = decided[0].model.sha256;
    await change(engine, 'PUT', '/champion', { model: 'fraud-demo', version: 'variant', reason: 'champion change for the replay test' });
    await decide(120, 120);
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('replays every decision across a champion change bit for bit, and records the replay on its own stream', async () => {
    expect(new Set(decided.map((d) => d.outcome)).size).toBeGreaterThan(1);
    const state = await replay({});
    expect(state.status).toBe('completed');
    expect(state.report.counts).toEqual({ decisions: 240, identical: 240, mismatched: 0, modelMissing: 0, modelAltered: 0, featureDrift: 0 });
    expect(state.progress).toEqual({ done: 240, total: 240 });
    expect(state.report.models.map((m: { sha256: string; decisions: number; status: string }) => [m.sha256, m.decisions, m.status])).toEqual([
      [demoSha, 120, 'replayed'],
      [variantSha, 120, 'replayed'],
    ]);
    const events = await engine.store.readStream(replayStreamId(state.replayId));
    expect(events.map((e) => e.type)).toEqual([REPLAY_REQUESTED, REPLAY_COMPLETED]);
    const completed = events[1].data as { reportSha256: string; report: unknown };
    expect(completed.reportSha256).toBe(sha256Hex(canonicalJson(completed.report)));
    expect(state.reportSha256).toBe(completed.reportSha256);
  });

  it('selects by model, outcome, card, time and position', async () => {
    expect((await replay({ filter: { modelSha256: variantSha } })).report.counts.decisions).toBe(120);
    const declines = decided.filter((d) => d.outcome === 'decline').length;
    expect((await replay({ filter: { outcome: 'decline' } })).report.counts.identical).toBe(declines);
    expect((await replay({ filter: { cardId: 'replay-card-3' } })).report.counts.decisions).toBe(cards.filter((c) => c === 'replay-card-3').length);
    const from = decided[50].decidedAt;
    const to = decided[149].decidedAt;
    const byTime = decided.filter((d) => d.decidedAt >= from && d.decidedAt < to).length;
    expect((await replay({ from, to })).report.counts.identical).toBe(byTime);
    const positions = await Promise.all([decided[10], decided[19]].map(async (d) => (await engine.store.readStream(decisionStreamId(d.transactionId)))[0].position));
    const ranged = await replay({ fromPosition: positions[0].toString(), toPosition: Number(positions[1]) });
    expect(ranged.report.counts.identical).toBe(10);
    expect(ranged.report.positions).toEqual({ first: positions[0].toString(), last: positions[1].toString() });
  });

  it('reports feature-code drift in recompute-features mode: none with this build, every changed value with another', async () => {
    const today = await replay({ mode: 'recompute-features', filter: { modelSha256: demoSha } });
    expect(today.report.counts).toMatchObject({ decisions: 120, identical: 120, featureDrift: 0 });
    // Another build, where "amount" is computed differently.
    const changed = (spec: FeatureColumnSpec) => {
      const column = resolveFeatureColumn(spec);
      return column.name === 'amount' ? { name: column.name, compute: (r: Parameters<typeof column.compute>[0]) => column.compute(r) * 1.1 } : column;
    };
    const models = new ReplayModels(engine.resolve(ARTIFACT_STORE as never));
    try {
      const report = await runReplay(
        { mode: 'recompute-features', filter: { modelSha256: demoSha } },
        { store: engine.store, models, endAt: await engine.store.headPosition(), featureSpecsFor: async (d) => d.features.names, featureResolver: changed },
      );
      const usesAmount = decided.filter((d) => d.model.sha256 === demoSha && d.features.names.includes('amount')).length;
      expect(usesAmount).toBeGreaterThan(0);
      expect(report.counts).toMatchObject({ identical: 120, featureDrift: usesAmount });
      expect(report.featureDrift.byFeature).toEqual({ amount: usesAmount });
      expect(report.featureDrift.first[0]).toMatchObject({ field: 'features.amount' });
    } finally {
      await models.close();
    }
  });

  it('names the field of a decision that does not come out the same, and replays version-1 events', async () => {
    const original = decided[5];
    // A recorded score one float32 ulp off, as an altered record would be.
    const bumped = new Float32Array([original.score]);
    new Uint32Array(bumped.buffer)[0] += 1;
    const forged = { ...original, transactionId: `${original.transactionId}-forged`, decisionId: `${original.decisionId}-forged`, score: bumped[0] };
    // Reasons come from the explanation rows' scores: a changed contribution shows that those rows ran again.
    expect(original.reasons.length).toBeGreaterThan(0);
    const reasons = original.reasons.map((r, i) => (i === 0 ? { ...r, contribution: r.contribution + 0.001 } : r));
    const reasoned = { ...original, transactionId: `${original.transactionId}-reasons`, decisionId: `${original.decisionId}-reasons`, reasons };
    // A row one value short cannot be run as recorded: a finding about that record, not a failed replay.
    const short = { ...original, transactionId: `${original.transactionId}-short`, decisionId: `${original.decisionId}-short`, features: { ...original.features, values: original.features.values.slice(1) } };
    const { deployment: _deployment, ...v2Rest } = original;
    const v1 = { ...v2Rest, schemaVersion: 1, transactionId: `${original.transactionId}-v1`, decisionId: `${original.decisionId}-v1` };
    const unregistered = { ...v1, transactionId: `${original.transactionId}-v1-gone`, decisionId: `${original.decisionId}-v1-gone`, model: { ...original.model, sha256: 'f'.repeat(64) } };
    const positions: bigint[] = [];
    for (const data of [forged, v1, unregistered, reasoned, short]) {
      const r = await engine.store.appendToStream(decisionStreamId(data.transactionId), [{ id: crypto.randomUUID(), type: DECISION_MADE, data }], { expectedRevision: NO_STREAM });
      positions.push(r.position);
    }
    const first = positions[0];
    const state = await replay({ fromPosition: first.toString() });
    expect(state.report.counts).toMatchObject({ decisions: 5, identical: 1, mismatched: 3, modelMissing: 1 });
    expect(state.report.mismatches).toEqual([
      { decisionId: forged.decisionId, position: first.toString(), field: 'score', recorded: bumped[0], replayed: original.score },
      { decisionId: reasoned.decisionId, position: positions[3].toString(), field: 'reasons', recorded: reasons, replayed: original.reasons },
      { decisionId: short.decisionId, position: positions[4].toString(), field: 'features.values.length', recorded: original.features.values.length - 1, replayed: original.features.names.length },
    ]);
    expect(state.report.models.find((m: { sha256: string }) => m.sha256 === 'f'.repeat(64)).status).toBe('missing');
  });

  it('refuses a bad request with the field path and writes nothing; an unknown replay is 404', async () => {
    const head = await engine.store.headPosition();
    const bad = await engine.post('/v1/replays', { mode: 'fast', filter: { modelSha256: 'xyz' }, from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const paths = (await bad.json()).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['/filter/modelSha256', '/mode']));
    expect(await engine.store.headPosition()).toBe(head);
    expect((await engine.get('/v1/replays/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await engine.get('/v1/replays/not-an-id')).status).toBe(404);
  });

  it('reports model altered, then model missing, when the stored bytes change or go', async () => {
    await topology.tamper(engine, variantSha, 'alter');
    const altered = await replay({});
    expect(altered.report.counts.modelAltered).toBe(120);
    expect(altered.report.models.find((m: { sha256: string }) => m.sha256 === variantSha)).toMatchObject({ status: 'altered', decisions: 120 });
    await topology.tamper(engine, variantSha, 'remove');
    const missing = await replay({ filter: { modelSha256: variantSha } });
    expect(missing.report.counts).toMatchObject({ decisions: 120, modelMissing: 120, identical: 0 });
  });
});
