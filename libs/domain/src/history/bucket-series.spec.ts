import fc from 'fast-check';
import { BucketSeries } from './bucket-series';

describe('BucketSeries', () => {
  it('counts and sums the events of the buckets in a window, the current bucket included', () => {
    const s = new BucketSeries(24);
    s.add(100, 10);
    s.add(100, 5);
    s.add(103, 1);
    s.add(101, 2.5);
    expect(s.size).toBe(3);
    expect(s.window(103, 4)).toEqual({ count: 4, sum: 18.5 });
    expect(s.window(103, 3)).toEqual({ count: 2, sum: 3.5 });
    expect(s.window(102, 24)).toEqual({ count: 3, sum: 17.5 }); // bucket 103 is after the moment asked about
    expect(s.window(99, 24)).toEqual({ count: 0, sum: 0 });
  });

  it('keeps only the newest `retained` buckets, and ignores an event older than them', () => {
    const s = new BucketSeries(3);
    s.add(10, 1);
    s.add(11, 1);
    s.add(12, 1);
    expect(s.size).toBe(3);
    s.add(14, 1); // 10 and 11 fall out
    expect(s.size).toBe(2);
    expect(s.window(14, 10)).toEqual({ count: 2, sum: 2 });
    s.add(11, 1); // older than anything kept: not added
    expect(s.window(14, 10)).toEqual({ count: 2, sum: 2 });
    s.add(12, 1); // still kept: added
    expect(s.window(14, 10)).toEqual({ count: 3, sum: 3 });
  });

  it('equals a recount of the events it keeps, in any arrival order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 100_000 })), { maxLength: 200 }),
        fc.integer({ min: -5, max: 130 }),
        fc.integer({ min: 1, max: 50 }),
        (retained, events, at, buckets) => {
          const s = new BucketSeries(retained);
          for (const [bucket, cents] of events) s.add(bucket, cents);
          // Kept: every event whose bucket is within `retained` of the newest bucket seen.
          const newest = Math.max(...events.map(([b]) => b));
          const kept = events.filter(([b]) => b > newest - retained);
          const inWindow = kept.filter(([b]) => b <= at && b > at - buckets);
          const w = s.window(at, buckets);
          expect(w.count).toBe(inWindow.length);
          expect(w.sum).toBe(inWindow.reduce((sum, [, cents]) => sum + cents, 0));
          expect(s.size).toBeLessThanOrEqual(retained);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same state for the same events in the same order (what recomputing from the log relies on)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { maxLength: 100 }), (events) => {
        const a = new BucketSeries(20);
        const b = new BucketSeries(20);
        for (const [bucket, amount] of events) a.add(bucket, amount);
        for (const [bucket, amount] of events) b.add(bucket, amount);
        for (let at = 0; at <= 60; at += 7) expect(Object.is(a.window(at, 20).sum, b.window(at, 20).sum)).toBe(true);
      }),
    );
  });
});
