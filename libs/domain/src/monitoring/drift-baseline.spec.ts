import { driftFigures, firstWindowBaseline, histogramKey, seriesNames, trainingBaseline, type WindowHistogram } from './drift-baseline';
import { DEFAULT_DRIFT_THRESHOLDS } from './drift-thresholds';
import { fineKey } from './histogram-bins';
import type { TrainingStatistics } from './training-statistics';

const statistics: TrainingStatistics = {
  schemaVersion: 1,
  rows: 1000,
  features: [
    { name: 'is_night', edges: [0.5], proportions: [0.9, 0.1] },
    { name: 'amount', edges: [10, 50], proportions: [0.25, 0.5, 0.25] },
  ],
  score: { edges: [0.1], proportions: [0.8, 0.2] },
};

/** Counts a sample of rows the way the drift projection does, under the given edges per series (none: fine keys). */
function histogram(rows: Record<string, number>[], edges: (name: string) => readonly number[] | undefined): WindowHistogram {
  const series: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      const k = String(histogramKey(edges(name), value));
      (series[name] ??= {})[k] = (series[name]![k] ?? 0) + 1;
    }
  }
  return { decisions: rows.length, series };
}

const trainingEdges = (name: string) => (name === 'score' ? statistics.score.edges : statistics.features.find((f) => f.name === name)!.edges);

describe('drift figures against training statistics', () => {
  const baseline = trainingBaseline(statistics);

  it('lists the features in input order, then the score', () => {
    expect(seriesNames({ kind: 'training', statistics })).toEqual(['is_night', 'amount', 'score']);
    expect(baseline.series.map((s) => s.name)).toEqual(['is_night', 'amount', 'score']);
    expect(baseline.reference).toEqual({ kind: 'training' });
  });

  it('flags the series whose PSI exceeds the threshold, with hand-computed figures', () => {
    // Half the window at night (training: 10 %); amounts and scores as in training.
    const rows = Array.from({ length: 100 }, (_, i) => ({
      is_night: i % 2,
      amount: i % 4 === 0 ? 5 : i % 4 === 3 ? 80 : 20,
      score: i % 5 === 0 ? 0.5 : 0.01,
    }));
    const figures = driftFigures(baseline, histogram(rows, trainingEdges), DEFAULT_DRIFT_THRESHOLDS);
    // is_night: (0.5 − 0.9)·ln(0.5/0.9) + (0.5 − 0.1)·ln(0.5/0.1) = 0.878890; KS = 0.4
    expect(figures).toEqual([
      { feature: 'is_night', psi: 0.87889, ks: 0.4, threshold: 0.2, breached: true },
      { feature: 'amount', psi: 0, ks: 0, threshold: 0.2, breached: false },
      { feature: 'score', psi: 0, ks: 0, threshold: 0.2, breached: false },
    ]);
  });

  it('uses per-series thresholds, and reports a switched-off series without judging it', () => {
    const rows = Array.from({ length: 10 }, () => ({ is_night: 1, amount: 5, score: 0.01 }));
    const figures = driftFigures(baseline, histogram(rows, trainingEdges), { psi: 0.2, perSeries: { is_night: null, score: 5 } });
    expect(figures.map((f) => [f.feature, f.threshold, f.breached])).toEqual([
      ['is_night', null, false],
      ['amount', 0.2, true],
      ['score', 5, false],
    ]);
  });
});

describe('a first-window baseline', () => {
  const first = Array.from({ length: 1000 }, (_, i) => ({ channel_pos: i % 4 === 0 ? 0 : 1, amount: 1 + (i % 100), score: (i % 50) / 100 }));
  const window = { from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T11:00:00.000Z' };
  const baseline = firstWindowBaseline(window, histogram(first, () => undefined), ['channel_pos', 'amount', 'score']);

  it('cuts reference bins from the window itself and is flagged as such', () => {
    expect(baseline.reference).toEqual({ kind: 'first-window', window, decisions: 1000 });
    const [pos, amount] = baseline.series;
    expect(pos).toEqual({ name: 'channel_pos', edges: [0.5], proportions: [0.25, 0.75] });
    expect(amount!.edges).toHaveLength(19);
    for (const share of amount!.proportions) expect(share).toBeCloseTo(0.05, 12);
  });

  it('finds no drift in a window like the first, and drift in the shifted series only', () => {
    const same = driftFigures(baseline, histogram(first.slice(0, 500), () => undefined), DEFAULT_DRIFT_THRESHOLDS);
    expect(same.every((f) => f.psi < 0.01 && !f.breached)).toBe(true);
    const shifted = first.map((row) => ({ ...row, channel_pos: 0 }));
    const figures = driftFigures(baseline, histogram(shifted, () => undefined), DEFAULT_DRIFT_THRESHOLDS);
    expect(figures.filter((f) => f.breached).map((f) => f.feature)).toEqual(['channel_pos']);
    expect(figures[0]!.ks).toBe(0.75);
  });

  it('re-bins fine keys exactly: a value counts in the bin its fine key falls in', () => {
    expect(fineKey(57.4)).toBe(57);
    const one = driftFigures(baseline, histogram([{ channel_pos: 1, amount: 57.4, score: 0.2 }], () => undefined), DEFAULT_DRIFT_THRESHOLDS);
    expect(one.map((f) => f.feature)).toEqual(['channel_pos', 'amount', 'score']);
  });
});
