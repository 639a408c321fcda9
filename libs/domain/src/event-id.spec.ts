import fc from 'fast-check';
import { newEventId } from './event-id';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newEventId', () => {
  it('is an RFC 9562 version-7 UUID carrying the time it was made', () => {
    const before = Date.now();
    const id = newEventId();
    expect(id).toMatch(V7);
    expect(millisOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('sorts after every id made in an earlier millisecond, as text too (what an index on the id orders by)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 10 ** 9 }), (t, step) => {
        const earlier = newEventId(t);
        const later = newEventId(t + step);
        expect(earlier < later).toBe(true);
        expect(millisOf(earlier)).toBe(t);
        expect(millisOf(later)).toBe(t + step);
      }),
    );
  });

  it('never repeats, within a millisecond and across refills of its random pool', () => {
    const ids = Array.from({ length: 20_000 }, () => newEventId(1_765_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(V7);
  });

  it('keeps a time outside 48 bits of milliseconds in range', () => {
    expect(millisOf(newEventId(-5))).toBe(0);
    expect(millisOf(newEventId(2 ** 50))).toBe(2 ** 48 - 1);
    expect(newEventId(2 ** 50)).toMatch(V7);
  });
});
