import fc from 'fast-check';
import { DistinctSeries } from './distinct-series';

describe('DistinctSeries', () => {
  it('counts the distinct values of the buckets in a window', () => {
    const s = new DistinctSeries(24, 100);
    s.add(10, 'a');
    s.add(10, 'a');
    s.add(11, 'b');
    s.add(12, 'a');
    s.add(14, 'c');
    expect(s.size).toBe(4); // one pair per value per bucket
    expect(s.distinct(14, 24)).toBe(3);
    expect(s.distinct(12, 24)).toBe(2);
    expect(s.distinct(14, 2)).toBe(1);
  });

  it('saturates at its cap, dropping the oldest pairs', () => {
    const s = new DistinctSeries(24, 3);
    for (const [b, v] of [[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']] as const) s.add(b, v);
    expect(s.size).toBe(3);
    expect(s.distinct(4, 24)).toBe(3);
  });

  it('equals a recount of the pairs it keeps, in any arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 80 }), fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')), { maxLength: 150 }),
        fc.integer({ min: 0, max: 90 }),
        (events, at) => {
          const s = new DistinctSeries(24, 10_000);
          for (const [b, v] of events) s.add(b, v);
          const newest = Math.max(...events.map(([b]) => b));
          const kept = events.filter(([b]) => b > newest - 24 && b <= at && b > at - 24);
          expect(s.distinct(at, 24)).toBe(new Set(kept.map(([, v]) => v)).size);
        },
      ),
      { numRuns: 300 },
    );
  });
});
