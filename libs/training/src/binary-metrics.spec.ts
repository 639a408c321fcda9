import { metricsAtThreshold, rocAuc, thresholdForFalsePositiveRate } from './binary-metrics';

describe('binary metrics', () => {
  it('computes ROC AUC with ties counted as half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.1], [0, 0, 1])).toBe(0);
    expect(rocAuc([0.2, 0.3], [0, 0])).toBeNaN();
  });

  it('counts score >= threshold as flagged', () => {
    const m = metricsAtThreshold([0.1, 0.5, 0.5, 0.9, 0.95], [0, 0, 1, 0, 1], 0.5);
    expect(m).toMatchObject({ truePositives: 2, falsePositives: 2, trueNegatives: 1, falseNegatives: 0 });
    expect(m.precision).toBe(0.5);
    expect(m.recall).toBe(1);
    expect(m.falsePositiveRate).toBeCloseTo(2 / 3, 12);
    expect(m.flaggedRate).toBe(0.8);
  });

  it('picks the lowest rounded threshold meeting a false-positive budget', () => {
    const negatives = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const labels = negatives.map(() => 0);
    const t = thresholdForFalsePositiveRate(negatives, labels, 0.01);
    expect(t).toBe(0.99);
    expect(metricsAtThreshold(negatives, labels, t).falsePositiveRate).toBeLessThanOrEqual(0.01);
    expect(metricsAtThreshold(negatives, labels, 0.989).falsePositiveRate).toBeGreaterThan(0.01);
  });
});
