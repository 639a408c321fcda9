import type { SeriesDrift } from './drift-baseline';
import { DRIFT_DETECTED, DRIFT_RESOLVED, driftEventId, type DriftEvent } from './drift-events';
import { DriftState, judgeDriftWindow, type JudgedWindow } from './drift-judgement';

const hour = (h: number) => ({ from: `2026-03-01T${String(h).padStart(2, '0')}:00:00.000Z`, to: `2026-03-01T${String(h + 1).padStart(2, '0')}:00:00.000Z` });
const figure = (feature: string, psi: number, threshold: number | null = 0.2): SeriesDrift => ({ feature, psi, ks: psi / 10, threshold, breached: threshold !== null && psi > threshold });
const judged = (h: number, ...figures: SeriesDrift[]): JudgedWindow => ({ version: '1.0.0', window: hour(h), decisions: 1200, baseline: { kind: 'training' }, figures });

/** Judges windows in order, folding each window's events in as the stream would. */
function run(windows: JudgedWindow[]): { events: DriftEvent[]; state: DriftState } {
  let state = DriftState.empty('fraud');
  let revision = -1n;
  const events: DriftEvent[] = [];
  for (const w of windows) {
    for (const e of judgeDriftWindow(state, w)) {
      events.push(e);
      state = state.apply(e, ++revision);
    }
  }
  return { events, state };
}

describe('judging drift window by window', () => {
  it('reports a breach once, however long it lasts, and its resolution once', () => {
    const { events, state } = run([
      judged(1, figure('is_night', 0.01), figure('amount', 0.02)),
      judged(2, figure('is_night', 0.9), figure('amount', 0.03)),
      judged(3, figure('is_night', 0.7), figure('amount', 0.01)),
      judged(4, figure('is_night', 0.05), figure('amount', 0.02)),
    ]);
    expect(events.map((e) => [e.type, e.data.feature, e.data.window.from])).toEqual([
      [DRIFT_DETECTED, 'is_night', hour(2).from],
      [DRIFT_RESOLVED, 'is_night', hour(4).from],
    ]);
    expect(events[0]!.data).toEqual({
      schemaVersion: 1, model: 'fraud', version: '1.0.0', feature: 'is_night', window: hour(2), decisions: 1200,
      psi: 0.9, ks: 0.09, threshold: 0.2, baseline: { kind: 'training' },
    });
    expect(events[1]!.data).toMatchObject({ psi: 0.05, detectedWindow: hour(2) });
    expect(state.breach('1.0.0', 'is_night')).toBeUndefined();
    expect(state.lastWindowFrom('1.0.0')).toBe(hour(4).from);
    expect(state.lastRevision).toBe(1n);
  });

  it('gives nothing when a window is judged again after its events are in the stream (another instance, a restart)', () => {
    const breach = judged(2, figure('is_night', 0.9));
    const { state } = run([breach]);
    expect(judgeDriftWindow(state, breach)).toEqual([]);
    const folded = DriftState.fold('fraud', [{ type: DRIFT_DETECTED, data: run([breach]).events[0]!.data, revision: 0n }]);
    expect(folded.breach('1.0.0', 'is_night')).toEqual(hour(2));
    expect(judgeDriftWindow(folded, judged(3, figure('is_night', 0.5)))).toEqual([]);
  });

  it('keeps versions apart and never judges a switched-off series', () => {
    const other = { ...judged(2, figure('is_night', 0.9)), version: '2.0.0' };
    const { events } = run([judged(2, figure('is_night', 0.9, null)), other]);
    expect(events.map((e) => [e.data.version, e.data.feature])).toEqual([['2.0.0', 'is_night']]);
  });

  it('gives every transition its own deterministic event id', () => {
    const { events } = run([judged(2, figure('is_night', 0.9), figure('amount', 0.5)), judged(3, figure('is_night', 0.1), figure('amount', 0.1))]);
    const ids = events.map(driftEventId);
    expect(new Set(ids).size).toBe(4);
    expect(run([judged(2, figure('is_night', 0.9), figure('amount', 0.5))]).events.map(driftEventId)).toEqual(ids.slice(0, 2));
  });

  it("folds past other monitors' events on the stream, counting their revisions", () => {
    const { events } = run([judged(2, figure('is_night', 0.9))]);
    const state = DriftState.fold('fraud', [
      { type: 'PerformanceDegraded', data: { schemaVersion: 1, version: '1.0.0' }, revision: 0n },
      { type: DRIFT_DETECTED, data: events[0]!.data, revision: 1n },
      { type: 'PerformanceRecovered', data: { schemaVersion: 1, version: '1.0.0' }, revision: 2n },
    ]);
    expect(state.lastRevision).toBe(2n);
    expect(state.breach('1.0.0', 'is_night')).toEqual(hour(2));
  });

  it('refuses to fold an event version it does not know', () => {
    expect(() => DriftState.fold('fraud', [{ type: DRIFT_DETECTED, data: { schemaVersion: 2 }, revision: 0n }])).toThrow(RangeError);
  });
});
