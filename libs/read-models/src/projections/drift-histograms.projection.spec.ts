import {
  DECISION_MADE,
  MODEL_VERSION_REGISTERED,
  type ModelVersionRegisteredV1,
  type TrainingStatistics,
} from '@verdict/domain';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import { DriftQueries } from '../queries/drift.queries';
import { UnsupportedEventSchemaError } from '../read-model.errors';
import { DecisionMadeFixture } from '../testing/decision-made.fixture';
import { readModelTestTargets, type TestReadModel } from '../testing/read-model-test-targets';
import { applyProjectionBatch } from './apply-projection-batch';
import { DriftHistogramsProjection } from './drift-histograms.projection';
import { ReadModelProjections, readModelParts } from './read-model-projections';

const statistics: TrainingStatistics = {
  schemaVersion: 1,
  rows: 100,
  features: [
    { name: 'amount', edges: [20, 50], proportions: [0.3, 0.4, 0.3] },
    { name: 'is_night', edges: [0.5], proportions: [0.9, 0.1] },
  ],
  score: { edges: [0.5], proportions: [0.8, 0.2] },
};

function registration(position: bigint, version: string, trainingStatistics?: TrainingStatistics): RecordedEvent {
  const data: ModelVersionRegisteredV1 = {
    schemaVersion: 1, name: 'fraud', version, sha256: 'a'.repeat(64), servedSha256: 'a'.repeat(64), sizeBytes: 1, rewrites: [],
    signature: { inputs: [], outputs: [] },
    manifest: { features: ['amount', 'is_night'], ...(trainingStatistics ? { trainingStatistics } : {}) },
    registeredAt: '2026-03-01T00:00:00.000Z', actor: 'test',
  };
  return { id: `reg-${version}`, type: MODEL_VERSION_REGISTERED, streamId: 'model-fraud', revision: 0n, position, data: data as unknown as Record<string, unknown>, metadata: {}, recordedAt: new Date() };
}

const fixture = new DecisionMadeFixture('drift');
function decision(position: bigint, version: string, decidedAt: string, amount: number, night: number, score: number, model = 'fraud'): RecordedEvent {
  const e = fixture.recorded(position, { decidedAt, score });
  const data = e.data as Record<string, unknown>;
  return { ...e, data: { ...data, model: { ...(data.model as object), name: model, version }, features: { names: ['amount', 'is_night'], values: [amount, night] } } };
}

describe.each(readModelTestTargets())('drift histograms on $kind', (target) => {
  let model: TestReadModel;
  beforeEach(async () => (model = await target.open()));
  afterEach(async () => model.dispose());

  const log = (): RecordedEvent[] => [
    registration(1n, '1', statistics),
    decision(2n, '1', '2026-03-01T10:05:00.000Z', 10, 0, 0.1),
    decision(3n, '1', '2026-03-01T10:59:59.999Z', 30, 1, 0.7),
    decision(4n, '1', '2026-03-01T11:00:00.000Z', 60, 0, 0.2),
    registration(5n, '2'),
    decision(6n, '2', '2026-03-01T10:30:00.000Z', 123.4, 1, 0.0456),
    decision(7n, '2', '2026-03-01T10:31:00.000Z', 123.4, 0, 0.0456),
    decision(8n, 'legacy', '2026-03-01T10:31:00.000Z', 7, 0, 0.5),
  ];

  it('counts every feature and the score per version and hour: by training bins, or by fine keys without statistics', async () => {
    await applyProjectionBatch(model.dataSource, new ReadModelProjections(), log(), 0n);
    const q = new DriftQueries(model.dataSource);
    expect((await q.versions('fraud')).map((v) => [v.version, v.binning.kind])).toEqual([['1', 'training'], ['2', 'first-window'], ['legacy', 'first-window']]);
    const from = Date.parse('2026-03-01T00:00:00Z');
    const to = Date.parse('2026-03-02T00:00:00Z');
    expect(await q.windows('fraud', '1', 3600, from, to)).toEqual([
      { startMs: Date.parse('2026-03-01T10:00:00Z'), histogram: { decisions: 2, series: { amount: { '0': 1, '1': 1 }, is_night: { '0': 1, '1': 1 }, score: { '0': 1, '1': 1 } } } },
      { startMs: Date.parse('2026-03-01T11:00:00Z'), histogram: { decisions: 1, series: { amount: { '2': 1 }, is_night: { '0': 1 }, score: { '0': 1 } } } },
    ]);
    expect(await q.windows('fraud', '2', 3600, from, to)).toEqual([
      { startMs: Date.parse('2026-03-01T10:00:00Z'), histogram: { decisions: 2, series: { amount: { '120': 2 }, is_night: { '0': 1, '1': 1 }, score: { '0.046': 2 } } } },
    ]);
    const [legacy] = await q.versions('fraud').then((vs) => vs.filter((v) => v.version === 'legacy'));
    expect(legacy!.binning).toEqual({ kind: 'first-window', series: ['amount', 'is_night', 'score'] });
    expect((await q.firstFullWindow('fraud', '1', 3600, 2))?.startMs).toBe(Date.parse('2026-03-01T10:00:00Z'));
    expect(await q.firstFullWindow('fraud', '1', 3600, 3)).toBeNull();
  });

  it('counts each decision once, however often and in whatever batches it is delivered', async () => {
    const part = new DriftHistogramsProjection();
    const events = log();
    const once = await target.open();
    try {
      await once.dataSource.transaction((m) => part.handle(events, m));
      await model.dataSource.transaction((m) => part.handle(events.slice(0, 5), m));
      await model.dataSource.transaction((m) => part.handle(events.slice(2), m)); // a redelivery overlapping the first
      await model.dataSource.transaction((m) => part.handle(events, m)); // a replay of everything into the same tables
      const all = async (ds: TestReadModel) => {
        const q = new DriftQueries(ds.dataSource);
        return Promise.all(['1', '2', 'legacy'].map((v) => q.windows('fraud', v, 3600, 0, Date.parse('2027-01-01T00:00:00Z'))));
      };
      expect(await all(model)).toEqual(await all(once));
    } finally {
      await once.dispose();
    }
  });

  it('keeps windows of the configured width apart from other widths', async () => {
    await applyProjectionBatch(model.dataSource, new ReadModelProjections(readModelParts({ driftWindowSeconds: 600 })), log(), 0n);
    const q = new DriftQueries(model.dataSource);
    const windows = await q.windows('fraud', '1', 600, 0, Date.parse('2027-01-01T00:00:00Z'));
    expect(windows.map((w) => [new Date(w.startMs).toISOString(), w.histogram.decisions])).toEqual([
      ['2026-03-01T10:00:00.000Z', 1],
      ['2026-03-01T10:50:00.000Z', 1],
      ['2026-03-01T11:00:00.000Z', 1],
    ]);
    expect(await q.windows('fraud', '1', 3600, 0, Date.parse('2027-01-01T00:00:00Z'))).toEqual([]);
  });

  it('stops on a decision it cannot place rather than skip it, and the batch leaves nothing behind', async () => {
    const placed = decision(9n, '1', '2026-03-01T12:00:00.000Z', 1, 0, 0.1);
    const bad = { ...placed, data: { ...placed.data, decidedAt: 'yesterday' } };
    const error = await applyProjectionBatch(model.dataSource, new ReadModelProjections([new DriftHistogramsProjection()]), [...log(), bad], 0n).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedEventSchemaError);
    expect(await new DriftQueries(model.dataSource).versions()).toEqual([]);
    expect(bad.type).toBe(DECISION_MADE);
  });

  it('empties its tables on truncate (rebuild)', async () => {
    const part = new DriftHistogramsProjection();
    await model.dataSource.transaction((m) => part.handle(log(), m));
    await model.dataSource.transaction((m) => part.truncate(m));
    expect(await new DriftQueries(model.dataSource).versions()).toEqual([]);
  });
});
