import pino from 'pino';
import {
  DRIFT_DETECTED,
  DRIFT_RESOLVED,
  MODEL_VERSION_REGISTERED,
  monitoringStreamId,
  modelStreamId,
  type ModelVersionRegisteredV1,
  type TrainingStatistics,
} from '@verdict/domain';
import type { EventData } from '@verdict/event-store';
import { applyProjectionBatch, DriftQueries, ReadModelProjections } from '@verdict/read-models';
import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { openTestEventStore } from '@verdict/read-models/testing/read-model-test-helpers';
import { readModelTestTargets, type TestReadModel } from '@verdict/read-models/testing/read-model-test-targets';
import { DecisionMetrics } from '../metrics/decision-metrics';
import { DriftMetrics } from '../metrics/drift.metrics';
import { DriftMonitor } from './drift-monitor';
import { DriftWindows, type DriftSettings } from './drift-windows';

const statistics: TrainingStatistics = {
  schemaVersion: 1,
  rows: 1000,
  features: [
    { name: 'amount', edges: [20, 50], proportions: [0.3, 0.4, 0.3] },
    { name: 'is_night', edges: [0.5], proportions: [0.9, 0.1] },
  ],
  score: { edges: [0.5], proportions: [0.8, 0.2] },
};
const settings: DriftSettings = { windowSeconds: 3600, minDecisions: 50, thresholds: { psi: 0.2, perSeries: {} } };
const hour = (h: number) => `2026-03-01T${String(h).padStart(2, '0')}:00:00.000Z`;
const NOW = Date.parse('2026-03-02T00:00:00Z');

function registration(version: string, trainingStatistics?: TrainingStatistics): EventData {
  const data: ModelVersionRegisteredV1 = {
    schemaVersion: 1, name: 'fraud', version, sha256: 'a'.repeat(64), servedSha256: 'a'.repeat(64), sizeBytes: 1, rewrites: [],
    signature: { inputs: [], outputs: [] },
    manifest: { features: ['amount', 'is_night'], ...(trainingStatistics ? { trainingStatistics } : {}) },
    registeredAt: '2026-03-01T00:00:00.000Z', actor: 'test',
  };
  return { id: `00000000-0000-4000-8000-00000000000${version}`, type: MODEL_VERSION_REGISTERED, data: data as unknown as Record<string, unknown> };
}

const fixture = new DecisionMadeFixture('monitor');
/** 100 decisions of one version in hour `h`: like training, or with half of them at night, or with every amount high. */
function window(version: string, h: number, shape: 'normal' | 'night' | 'high-amounts'): { streamId: string; event: EventData }[] {
  return Array.from({ length: 100 }, (_, i) => {
    const night = shape === 'night' ? i % 2 : i % 10 === 0 ? 1 : 0;
    const amount = shape === 'high-amounts' ? 60 : i % 10 < 3 ? 10 : i % 10 < 7 ? 30 : 60;
    const { streamId, event } = fixture.event({ decidedAt: new Date(Date.parse(hour(h)) + i * 1000).toISOString(), score: i % 5 === 0 ? 0.7 : 0.1 });
    const data = event.data as Record<string, unknown>;
    return { streamId, event: { ...event, data: { ...data, model: { ...(data.model as object), name: 'fraud', version }, features: { names: ['amount', 'is_night'], values: [amount, night] } } } };
  });
}

describe.each(readModelTestTargets())('drift monitor on $kind read models', (target) => {
  let model: TestReadModel;
  let es: Awaited<ReturnType<typeof openTestEventStore>>;
  beforeEach(async () => {
    model = await target.open();
    es = await openTestEventStore();
    await es.store.appendToStream(modelStreamId('fraud'), [registration('1', statistics), registration('2')], { expectedRevision: 'no_stream' });
    const decisions = [
      ...window('1', 10, 'normal'), ...window('2', 10, 'normal'),
      ...window('1', 11, 'night'), ...window('2', 11, 'normal'),
      ...window('1', 12, 'night'), ...window('2', 12, 'high-amounts'),
      ...window('1', 13, 'normal'),
      ...window('1', 14, 'normal').slice(0, 10), // too few to judge
    ];
    for (let i = 0; i < decisions.length; i += 50) {
      await Promise.all(decisions.slice(i, i + 50).map((d) => es.store.appendToStream(d.streamId, [d.event], { expectedRevision: 'no_stream' })));
    }
  });
  afterEach(async () => {
    await es.dispose();
    await model.dispose();
  });

  const project = async (upTo?: bigint) => {
    const events = (await es.store.readAll({ maxCount: 10_000 })).filter((e) => upTo === undefined || e.position <= upTo);
    const queries = new DriftQueries(model.dataSource);
    await applyProjectionBatch(model.dataSource, new ReadModelProjections(), events.filter((e) => e.position > 0n), await queries.checkpoint());
  };
  const monitor = (metrics = new DriftMetrics(new DecisionMetrics())) => {
    const queries = new DriftQueries(model.dataSource);
    return new DriftMonitor(new DriftWindows(queries, settings), queries, es.store, metrics, pino({ level: 'silent' }));
  };
  const stream = async () =>
    (await es.store.readStream(monitoringStreamId('fraud'))).map((e) => [e.type, (e.data as { version: string }).version, (e.data as { feature: string }).feature, (e.data as { window?: { from: string } }).window?.from]);

  it('records each transition exactly once while several instances judge at the same time, and nothing again after a restart', async () => {
    await project();
    await Promise.all([monitor().tick(NOW), monitor().tick(NOW), monitor().tick(NOW)]);
    const expected = [
      [DRIFT_DETECTED, '1', 'is_night', hour(11)],
      [DRIFT_RESOLVED, '1', 'is_night', hour(13)],
      [DRIFT_DETECTED, '2', 'amount', hour(12)],
    ];
    expect((await stream()).sort()).toEqual(expected.sort());
    const events = await es.store.readStream(monitoringStreamId('fraud'));
    expect(events.find((e) => e.type === DRIFT_DETECTED && (e.data as { version: string }).version === '2')!.data).toMatchObject({
      schemaVersion: 1, model: 'fraud', feature: 'amount', decisions: 100, threshold: 0.2,
      baseline: { kind: 'first-window', window: { from: hour(10), to: hour(11) }, decisions: 100 },
    });
    expect(events.find((e) => e.type === DRIFT_RESOLVED)!.data).toMatchObject({ baseline: { kind: 'training' }, detectedWindow: { from: hour(11), to: hour(12) } });

    const restarted = monitor();
    await restarted.tick(NOW);
    await restarted.tick(NOW + 3_600_000);
    expect(await stream()).toHaveLength(3);
  });

  it("shares the monitoring stream with other monitors' events", async () => {
    await project();
    await es.store.appendToStream(monitoringStreamId('fraud'), [{ id: '00000000-0000-4000-8000-0000000000aa', type: 'PerformanceDegraded', data: { schemaVersion: 1, model: 'fraud', version: '1' } }], { expectedRevision: 'no_stream' });
    const m = monitor();
    await m.tick(NOW);
    expect(await stream()).toHaveLength(4);
    await es.store.appendToStream(monitoringStreamId('fraud'), [{ id: '00000000-0000-4000-8000-0000000000ab', type: 'PerformanceRecovered', data: { schemaVersion: 1, model: 'fraud', version: '1' } }], { expectedRevision: 3n });
    await m.tick(NOW + 3_600_000);
    await monitor().tick(NOW);
    expect((await stream()).filter(([type]) => type === DRIFT_DETECTED || type === DRIFT_RESOLVED)).toHaveLength(3);
  });

  it('waits until the read model holds every decision recorded by then', async () => {
    const head = await es.store.headPosition();
    await project(head / 2n);
    const m = monitor();
    await m.tick(NOW);
    expect(await stream()).toEqual([]);
    await project();
    await m.tick(NOW);
    expect(await stream()).toHaveLength(3);
  });

  it('judges only closed windows, and shows the latest closed window in the gauges', async () => {
    await project();
    const metrics = new DecisionMetrics();
    const gauges = new DriftMetrics(metrics);
    await monitor(gauges).tick(Date.parse(hour(12)) + 10_000); // 12:00 plus less than the grace: 11:00 is not final yet
    expect(await stream()).toEqual([]);
    const m = monitor(gauges);
    await m.tick(Date.parse(hour(13)) + 60_000);
    expect(await stream()).toEqual([[DRIFT_DETECTED, '1', 'is_night', hour(11)], [DRIFT_DETECTED, '2', 'amount', hour(12)]]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/verdict_drift_psi\{model="fraud",version="1",feature="is_night"\} 0\.\d+/);
    expect(text).toContain('verdict_drift_breached{model="fraud",version="1",feature="is_night"} 1');
    expect(text).toContain('verdict_drift_breached{model="fraud",version="1",feature="amount"} 0');
    expect(text).toContain(`verdict_drift_window_end_seconds{model="fraud",version="1"} ${Date.parse(hour(13)) / 1000}`);
  });
});
