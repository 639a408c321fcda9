import fc from 'fast-check';
import { binIndex, distinctCounts, fineKey, proportions, quantileEdges, rebin } from './histogram-bins';

describe('bins', () => {
  it('puts x in the first bin whose edge is at or above it (edges are upper bounds)', () => {
    const edges = [0.5, 2, 10];
    expect([-1, 0.5, 0.6, 2, 9.99, 10, 10.01].map((x) => binIndex(edges, x))).toEqual([0, 0, 1, 1, 2, 2, 3]);
    expect(binIndex([], 42)).toBe(0);
  });

  it('cuts a binary feature once, halfway, and small discrete features between each pair of values', () => {
    expect(quantileEdges([0, 1], [900, 100])).toEqual([0.5]);
    expect(quantileEdges([0, 2, 3, 7], [1, 1, 1, 1])).toEqual([1, 2.5, 5]);
  });

  it('cuts many distinct values at their lower quantiles, computed by hand for 1..100 in quarters', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    // ranks floor(k/4 · 99) = 24, 49, 74 → values 25, 50, 75
    const edges = quantileEdges(values, values.map(() => 1), 4);
    expect(edges).toEqual([25, 50, 75]);
    expect(rebin(values.map((v) => [v, 1] as const), edges)).toEqual([25, 25, 25, 25]);
  });

  it('gives strictly increasing edges below the maximum, at most maxBins bins, none of them empty on the sample', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 2, max: 30 }), (sample, maxBins) => {
        const { values, counts } = distinctCounts(sample);
        const edges = quantileEdges(values, counts, maxBins);
        expect(edges.length).toBeLessThanOrEqual(maxBins - 1);
        edges.forEach((e, i) => i > 0 && expect(e).toBeGreaterThan(edges[i - 1]!));
        if (edges.length > 0) expect(edges.at(-1)).toBeLessThan(values.at(-1)!);
        const binned = rebin(values.map((v, i) => [v, counts[i]!] as const), edges);
        expect(binned.reduce((a, b) => a + b, 0)).toBe(sample.length);
        expect(binned.every((c) => c > 0)).toBe(true);
      }),
    );
  });

  it('keeps order with fine keys, so edges cut between keys re-bin every value as its raw value would be', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), (x, y) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        expect(fineKey(lo)).toBeLessThanOrEqual(fineKey(hi));
      }),
    );
    expect([0, -0, 1, 13, 99, 123, 0.012345, 4229.16].map(fineKey)).toEqual([0, 0, 1, 13, 99, 120, 0.012, 4200]);
  });

  it('turns counts into shares', () => {
    expect(proportions([1, 3])).toEqual([0.25, 0.75]);
    expect(proportions([0, 0])).toEqual([0, 0]);
  });
});
