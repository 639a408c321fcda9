import { performanceOf, type CardFigures, type PerformanceCell } from './model-performance';
import { isDegraded, judgePerformance, PERFORMANCE_DEGRADED, PERFORMANCE_RECOVERED } from './performance-events';

const at = { model: 'm', version: '1', window: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, asOf: '2026-12-01T00:00:00.000Z' };
const card: CardFigures = { precision: 0.7, recall: 0.6, falsePositiveRate: 0.01, rocAuc: 0.9, source: 'metrics.test' };
const cell = (outcome: PerformanceCell['outcome'], label: PerformanceCell['label'], count: number): PerformanceCell => ({ day: 'd', arm: 'champion', outcome, label, bin: 50, count, amount: 0 });
const t = { margin: 0.1, minLabels: 20 };

describe('performance judgement', () => {
  it('raises once when recall falls more than the margin below the card, and recovers once', () => {
    const poor = performanceOf([cell('decline', 'fraud', 10), cell('approve', 'fraud', 20), cell('approve', null, 100)], 'legitimate');
    const degraded = judgePerformance(false, at, poor, card, t);
    expect(degraded).toMatchObject({ type: PERFORMANCE_DEGRADED, data: { breached: ['recall'], labelled: 30, card: { recall: 0.6 } } });
    expect(judgePerformance(true, at, poor, card, t)).toBeNull();
    const good = performanceOf([cell('decline', 'fraud', 25), cell('approve', 'fraud', 5), cell('approve', null, 100)], 'legitimate');
    expect(judgePerformance(true, at, good, card, t)).toMatchObject({ type: PERFORMANCE_RECOVERED, data: { breached: [] } });
    expect(judgePerformance(false, at, good, card, t)).toBeNull();
  });

  it('says nothing with fewer labels than the minimum, or without card figures', () => {
    const few = performanceOf([cell('approve', 'fraud', 5)], 'legitimate');
    expect(judgePerformance(false, at, few, card, t)).toBeNull();
    const poor = performanceOf([cell('approve', 'fraud', 30)], 'legitimate');
    expect(judgePerformance(false, at, poor, { ...card, precision: null, recall: null }, t)).toBeNull();
  });

  it('folds a version state from the monitoring stream, ignoring other versions and event types', () => {
    const e = (type: string, version: string) => ({ type, data: { version } });
    expect(isDegraded([e(PERFORMANCE_DEGRADED, '1'), e('DriftDetected', '1'), e(PERFORMANCE_DEGRADED, '2')], '1')).toBe(true);
    expect(isDegraded([e(PERFORMANCE_DEGRADED, '1'), e(PERFORMANCE_RECOVERED, '1')], '1')).toBe(false);
    expect(isDegraded([e(PERFORMANCE_DEGRADED, '2')], '1')).toBe(false);
  });
});
