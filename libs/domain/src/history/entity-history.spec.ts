import fc from 'fast-check';
import { BucketSeries } from './bucket-series';
import { EntityHistory } from './entity-history';
import { bucketOf, HISTORY_WINDOWS } from './history-windows';

const T0 = Date.parse('2026-11-20T12:00:00Z');

describe('EntityHistory', () => {
  it('answers every window as one BucketSeries per granularity would, with first and last seen, in any arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -45 * 24 * 60, max: 60 }), fc.integer({ min: 0, max: 100_000 })), { maxLength: 120 }),
        fc.integer({ min: -45 * 24 * 60, max: 120 }),
        (events, probeMin) => {
          const entity = new EntityHistory();
          const reference = new Map(HISTORY_WINDOWS.map((w) => [w.bucketMs, new BucketSeries(Math.max(...HISTORY_WINDOWS.filter((x) => x.bucketMs === w.bucketMs).map((x) => x.buckets)))]));
          for (const [min, cents] of events) {
            const at = T0 + min * 60_000;
            entity.add(at, cents);
            for (const [bucketMs, series] of reference) series.add(bucketOf(at, bucketMs), cents);
          }
          const at = T0 + probeMin * 60_000;
          for (const w of HISTORY_WINDOWS) {
            expect(entity.window(w, at)).toEqual((reference.get(w.bucketMs) as BucketSeries).window(bucketOf(at, w.bucketMs), w.buckets));
          }
          const times = events.map(([min]) => T0 + min * 60_000);
          expect(entity.firstAt).toBe(times.length ? Math.min(...times) : Number.POSITIVE_INFINITY);
          expect(entity.lastAt).toBe(times.length ? Math.max(...times) : Number.NEGATIVE_INFINITY);
          expect(entity.buckets).toBe([...reference.values()].reduce((n, s) => n + s.size, 0));
        },
      ),
      { numRuns: 300 },
    );
  });
});
