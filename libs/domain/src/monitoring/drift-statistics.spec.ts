import fc from 'fast-check';
import { ksStatistic, psi } from './drift-statistics';

/** Shares of a random histogram: non-negative, summing to 1. */
const distribution = (bins: number) =>
  fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: bins, maxLength: bins }).filter((c) => c.some((x) => x > 0)).map((c) => {
    const total = c.reduce((a, b) => a + b, 0);
    return c.map((x) => x / total);
  });
const pairOfDistributions = fc.integer({ min: 1, max: 25 }).chain((bins) => fc.tuple(distribution(bins), distribution(bins)));

describe('PSI', () => {
  it('matches values computed by hand', () => {
    // 0.4·ln(0.9/0.5) + (−0.4)·ln(0.1/0.5)
    expect(psi([0.5, 0.5], [0.9, 0.1])).toBeCloseTo(0.8788898309, 9);
    // −0.15·ln 0.4 − 0.05·ln 0.8 + 0.05·ln 1.2 + 0.15·ln 1.6
    expect(psi([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4])).toBeCloseTo(0.2282174096, 9);
    // An empty expected bin counts as 1e-4: (0.5 − 1)·ln 0.5 + (0.5 − 0.0001)·ln 5000
    expect(psi([1, 0], [0.5, 0.5])).toBeCloseTo(4.6043184667, 9);
  });

  it('is 0 for the same distribution, never negative, and symmetric', () => {
    fc.assert(
      fc.property(pairOfDistributions, ([e, a]) => {
        expect(psi(e, e)).toBe(0);
        expect(psi(e, a)).toBeGreaterThanOrEqual(0);
        expect(psi(e, a)).toBeCloseTo(psi(a, e), 12);
      }),
    );
  });

  it('refuses distributions over different bins', () => {
    expect(() => psi([0.5, 0.5], [1])).toThrow(RangeError);
    expect(() => psi([], [])).toThrow(RangeError);
  });
});

describe('two-sample KS statistic on bins', () => {
  it('is the largest gap between the cumulative shares', () => {
    // cumulative 0.25 0.5 0.75 1 against 0.1 0.3 0.6 1: gaps 0.15 0.2 0.15 0
    expect(ksStatistic([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4])).toBeCloseTo(0.2, 12);
    expect(ksStatistic([0.5, 0.5], [0.9, 0.1])).toBeCloseTo(0.4, 12);
    expect(ksStatistic([1, 0, 0], [0, 0, 1])).toBe(1);
  });

  it('lies in [0, 1], is 0 for the same distribution, symmetric, and at most the total variation distance', () => {
    fc.assert(
      fc.property(pairOfDistributions, ([e, a]) => {
        const ks = ksStatistic(e, a);
        expect(ksStatistic(e, e)).toBe(0);
        expect(ks).toBeGreaterThanOrEqual(0);
        expect(ks).toBeLessThanOrEqual(1 + 1e-12);
        expect(ks).toBeCloseTo(ksStatistic(a, e), 12);
        const tv = e.reduce((s, x, i) => s + Math.abs(x - (a[i] as number)), 0) / 2;
        expect(ks).toBeLessThanOrEqual(tv + 1e-12);
      }),
    );
  });
});
