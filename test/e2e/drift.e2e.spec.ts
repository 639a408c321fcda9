import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DRIFT_DETECTED, DRIFT_RESOLVED, monitoringStreamId } from '@verdict/domain';
import { runCli } from '../../tools/simulate/simulate';
import { CapturedIo } from '../../tools/simulate/testing/captured-io';
import { startEngine, type RunningEngine } from '../support/engine-harness';
import { e2eTopologies } from '../support/topologies';

/**
 * Drift end to end, over real HTTP: the simulator drives the engine (`simulate drive`, thinned so each short run
 * spans about two weeks of simulated traffic, as an hour of a real drive would), then the same traffic with 30 % of
 * it moved into the night, then normal traffic again. The drift monitor must flag hour_of_day and is_night in the
 * shifted window, resolve them in the next, and never flag another feature. Windows are 10 s here (hourly by
 * default); each phase starts on a window boundary, so every window holds one phase's traffic only.
 */
// The request-only demo model: its features see the night shift and nothing else. (2.0.0's history features would
// also drift on a fresh engine, whose history starts empty where training's was warm.)
const DEMO_DIR = path.resolve(__dirname, '../../models/fraud-demo/1.0.0');
const WINDOW_SECONDS = 10;
const MIN_DECISIONS = 500;
const SHIFTED = ['hour_of_day', 'is_night'];

interface Phase {
  readonly name: string;
  readonly seed: number;
  readonly nightShare: number;
}

type DriftEventView = { type: string; feature: string; window: string };

describe.each(e2eTopologies().filter((t) => t.name === 'sqlite' || t.name === 'postgres'))('drift on the $name read models', (topology) => {
  let engine: RunningEngine;
  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine({
      ...topology.env(),
      VERDICT_DRIFT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      VERDICT_DRIFT_MIN_DECISIONS: String(MIN_DECISIONS),
      VERDICT_MODEL_PATH: path.join(DEMO_DIR, 'model.onnx'),
    });
  });
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  const windowMs = WINDOW_SECONDS * 1000;
  const drift = async (query: string) => engine.get(`/v1/monitoring/drift?model=fraud-demo&${query}`);

  /** Drives one phase from the next window boundary; returns the start of the window that holds it (≥ MIN_DECISIONS). */
  async function run(phase: Phase): Promise<number> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const start = Math.ceil((Date.now() + 50) / windowMs) * windowMs;
      await new Promise((r) => setTimeout(r, start - Date.now() + 50));
      const io = new CapturedIo();
      const code = await runCli(
        ['drive', '--url', engine.url, '--api-key', engine.adminKey, '--rate', '140', '--duration', '6', '--concurrency', '16', '--customers', '3000', '--terminals', '1500',
          '--every', '97', '--seed', String(phase.seed + attempt), '--night-share', String(phase.nightShare), '--id-prefix', `${phase.name}-${attempt}-${start}`, '--json'],
        io,
      );
      expect(code).toBe(0);
      await engine.caughtUp(Number(await engine.store.headPosition()));
      const report = await (await drift(`version=1.0.0&from=${new Date(start).toISOString()}&to=${new Date(start + windowMs).toISOString()}&window=${WINDOW_SECONDS}`)).json();
      const decided = report.versions[0]?.windows[0]?.decisions ?? 0;
      if (decided >= MIN_DECISIONS) return start;
      // Too slow for one window on this machine right now: drive the phase again in a fresh window.
    }
    throw new Error(`phase ${phase.name} never put ${MIN_DECISIONS} decisions into one ${WINDOW_SECONDS}-s window`);
  }

  const events = async (): Promise<DriftEventView[]> =>
    (await engine.store.readStream(monitoringStreamId('fraud-demo'))).map((e) => {
      const d = e.data as { feature: string; window: { from: string } };
      return { type: e.type, feature: d.feature, window: d.window.from };
    });

  it('detects the night shift on hour_of_day and is_night only, then resolves it; serves the figures and the gauges', async () => {
    const normal = await run({ name: 'normal', seed: 100, nightShare: 0 });
    const shifted = await run({ name: 'shifted', seed: 200, nightShare: 0.3 });
    const back = await run({ name: 'back', seed: 300, nightShare: 0 });

    // The monitor judges each window once it has closed; wait for the resolution of the last breach to be recorded.
    let recorded: DriftEventView[] = [];
    for (let i = 0; i < 600; i++) {
      recorded = await events();
      if (SHIFTED.every((f) => recorded.some((e) => e.type === DRIFT_RESOLVED && e.feature === f))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const at = (ms: number) => new Date(ms).toISOString();
    // The score moves too (night is the model's strongest signal), but it is no feature: it is reported, not asserted.
    const features = recorded.filter((e) => e.feature !== 'score');
    expect(features.sort((a, b) => (a.type + a.feature).localeCompare(b.type + b.feature))).toEqual([
      { type: DRIFT_DETECTED, feature: 'hour_of_day', window: at(shifted) },
      { type: DRIFT_DETECTED, feature: 'is_night', window: at(shifted) },
      { type: DRIFT_RESOLVED, feature: 'hour_of_day', window: at(back) },
      { type: DRIFT_RESOLVED, feature: 'is_night', window: at(back) },
    ]);
    const detected = (await engine.store.readStream(monitoringStreamId('fraud-demo'))).find((e) => e.type === DRIFT_DETECTED && (e.data as { feature: string }).feature === 'is_night');
    expect(detected!.data).toMatchObject({
      schemaVersion: 1, model: 'fraud-demo', version: '1.0.0', window: { from: at(shifted), to: at(shifted + windowMs) }, threshold: 0.2, baseline: { kind: 'training' },
    });
    expect((detected!.data as { psi: number }).psi).toBeGreaterThan(0.2);

    // The same figures over HTTP, per window and feature.
    const res = await drift(`version=1.0.0&from=${at(normal)}&to=${at(back + windowMs)}&window=${WINDOW_SECONDS}s`);
    expect(res.status).toBe(200);
    const report = await res.json();
    const windows: { from: string; judged: boolean; closed: boolean; decisions: number; features: { feature: string; psi: number; ks: number; breached: boolean }[] }[] = report.versions[0].windows;
    expect(report.versions[0]).toMatchObject({ version: '1.0.0', baseline: { kind: 'training' } });
    const byStart = new Map(windows.map((w) => [w.from, w]));
    const breached = (start: number) => byStart.get(at(start))!.features.filter((f) => f.breached && f.feature !== 'score').map((f) => f.feature);
    for (const start of [normal, shifted, back]) expect(byStart.get(at(start))).toMatchObject({ judged: true, closed: true });
    expect(breached(normal)).toEqual([]);
    expect(breached(shifted)).toEqual(SHIFTED);
    expect(breached(back)).toEqual([]);
    const night = byStart.get(at(shifted))!.features.find((f) => f.feature === 'is_night')!;
    expect(night.ks).toBeGreaterThan(0.2);
    expect(byStart.get(at(shifted))!.features.map((f) => f.feature)).toEqual([...report.versions[0].windows[0].features.map((f: { feature: string }) => f.feature)]);
    expect(byStart.get(at(shifted))!.features.at(-1)!.feature).toBe('score');

    // Wider windows add whole ones up.
    // (Wide windows tile time from the epoch too, so one may start before `normal` and hold a retried phase's
    // decisions, and the phases may straddle two of them: compare each with the narrow windows over its own span, one
    // query each, since a query covers at most MAX_DRIFT_WINDOWS windows, exactly one wide window's worth.)
    const sum = (ws: { decisions: number }[]) => ws.reduce((n, w) => n + w.decisions, 0);
    const wide = await (await drift(`version=1.0.0&from=${at(normal)}&to=${at(back + windowMs)}&window=${WINDOW_SECONDS * 1000}s`)).json();
    const span: { from: string; to: string; decisions: number }[] = wide.versions[0].windows;
    expect(span.length).toBeGreaterThan(0);
    for (const w of span) {
      const narrow = await (await drift(`version=1.0.0&from=${w.from}&to=${w.to}&window=${WINDOW_SECONDS}s`)).json();
      expect(w.decisions).toBe(sum(narrow.versions[0]?.windows ?? []));
    }
    expect(sum(span)).toBeGreaterThanOrEqual(sum(windows));

    // The response is the one the OpenAPI document describes.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'verdict', components: (await (await engine.get('/openapi.json')).json()).components }, 'verdict');
    const validate = ajv.getSchema('verdict#/components/schemas/DriftReport')!;
    expect(validate(report) ? [] : validate.errors).toEqual([]);

    // Gauges of the latest closed window: back within bounds.
    const metrics = await (await engine.get('/metrics')).text();
    expect(metrics).toMatch(/verdict_drift_psi\{model="fraud-demo",version="1\.0\.0",feature="is_night"\} \d/);
    expect(metrics).toContain('verdict_drift_breached{model="fraud-demo",version="1.0.0",feature="is_night"} 0');
    // Three phases of up to three 10-s windows each, plus the last window's judgement: far past Jest's default on a
    // loaded machine, where a phase may need its retries.
  }, 300_000);

  it('answers bad queries with problem+json naming the parameter, and unknown models with 404', async () => {
    const bad = await engine.get('/v1/monitoring/drift?model=fraud-demo&window=7&colour=red');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(['/colour']);
    const notMultiple = await (await engine.get('/v1/monitoring/drift?model=fraud-demo&window=15s')).json();
    expect(notMultiple).toMatchObject({ status: 400, type: '/problems/invalid-query', errors: [{ path: '/window' }] });
    expect((await engine.get('/v1/monitoring/drift?model=nope')).status).toBe(404);
    expect(await (await engine.get('/v1/monitoring/drift?model=fraud-demo&version=9')).json()).toMatchObject({ status: 404, type: '/problems/model-version-not-found' });
  });
});

describe('the bootstrap model of a drift baseline', () => {
  it("registers the sidecar's training statistics only when model.json describes the model's bytes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-drift-sidecar-'));
    const sidecar = JSON.parse(readFileSync(path.join(DEMO_DIR, 'model.json'), 'utf8')) as { sha256: string; trainingStatistics: unknown };
    copyFileSync(path.join(DEMO_DIR, 'model.onnx'), path.join(dir, 'model.onnx'));
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...sidecar, sha256: 'f'.repeat(64) }));
    const engine = await startEngine({ VERDICT_MODEL_PATH: path.join(dir, 'model.onnx') });
    try {
      const registered = await (await engine.get('/v1/models/fraud-demo/versions/1.0.0')).json();
      expect(registered.manifest.trainingStatistics).toBeUndefined();
    } finally {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const demo = await startEngine();
    try {
      const registered = await (await demo.get('/v1/models/fraud-demo/versions/1.0.0')).json();
      expect(registered.manifest.trainingStatistics).toEqual(sidecar.trainingStatistics);
    } finally {
      await demo.stop();
    }
  });
});
