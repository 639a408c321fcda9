import fc from 'fast-check';
import { cardFiguresOf, performanceOf, rocAucOfHistograms, type PerformanceCell } from './model-performance';

const cell = (outcome: PerformanceCell['outcome'], label: PerformanceCell['label'], bin: number, count: number, amount = count * 10): PerformanceCell => ({ day: '2026-12-01', arm: 'champion', outcome, label, bin, count, amount });

describe('model performance', () => {
  it('counts the confusion at the recorded outcome, decline being the positive call and review beside it', () => {
    const cells = [cell('decline', 'fraud', 90, 8, 800), cell('decline', 'legitimate', 70, 2), cell('review', 'fraud', 40, 3, 300), cell('approve', 'fraud', 5, 1, 50), cell('approve', null, 1, 80), cell('review', 'legitimate', 30, 6)];
    const f = performanceOf(cells, 'legitimate');
    expect(f.confusion).toEqual({ declinedFraud: 8, declinedLegitimate: 2, approvedFraud: 1, approvedLegitimate: 80, reviewedFraud: 3, reviewedLegitimate: 6 });
    expect(f.precision).toBeCloseTo(0.8);
    expect(f.recall).toBeCloseTo(8 / 12);
    expect(f.falsePositiveRate).toBeCloseTo(2 / 88);
    expect(f.declineRate).toBeCloseTo(10 / 100);
    expect(f.reviewRate).toBeCloseTo(9 / 100);
    expect(f.labelCoverage).toBeCloseTo(20 / 100);
    expect(f.fraudAmount).toEqual({ caught: 800, reviewed: 300, missed: 50 });
    // Excluding unlabelled decisions leaves the legitimate class to the explicit labels.
    expect(performanceOf(cells, 'excluded').falsePositiveRate).toBeCloseTo(2 / 8);
  });

  it('has no figure where its denominator is empty', () => {
    const f = performanceOf([cell('approve', null, 3, 5)], 'excluded');
    expect([f.precision, f.recall, f.falsePositiveRate, f.rocAuc]).toEqual([null, null, null, null]);
    expect(f.decisions).toBe(5);
  });

  it('ROC AUC from histograms: 1 when every fraud scores higher, 0.5 when all tie, and equal to the pairwise count', () => {
    const bins = (entries: [number, number][]) => Object.assign(new Array(100).fill(0), Object.fromEntries(entries));
    expect(rocAucOfHistograms(bins([[90, 5]]), bins([[10, 7]]))).toBe(1);
    expect(rocAucOfHistograms(bins([[50, 3]]), bins([[50, 9]]))).toBe(0.5);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 30 }), (pos, neg) => {
        let wins = 0;
        for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
        const h = (xs: number[]) => xs.reduce((b, x) => ((b[x] += 1), b), new Array(100).fill(0));
        expect(rocAucOfHistograms(h(pos), h(neg))).toBeCloseTo(wins / (pos.length * neg.length), 12);
      }),
    );
  });

  it("reads the card's figures from the manifest's metrics", () => {
    expect(cardFiguresOf({ test: { rocAuc: 0.8, decline: { precision: 0.6, recall: 0.5, falsePositiveRate: 0.01 } } })).toEqual({ precision: 0.6, recall: 0.5, falsePositiveRate: 0.01, rocAuc: 0.8, source: 'metrics.test' });
    expect(cardFiguresOf({ validation: { rocAuc: 0.9 } }).source).toBe('metrics.validation');
    expect(cardFiguresOf(undefined).source).toBeNull();
  });
});
