import fc from 'fast-check';
import { BoundedMap } from './bounded-map';

/** The reference: a plain Map, its oldest entry found from scratch every time. */
function referenceSet(map: Map<number, number>, capacity: number, key: number, value: number): [number, number] | undefined {
  map.delete(key);
  map.set(key, value);
  if (map.size <= capacity) return undefined;
  const [oldest, its] = map.entries().next().value as [number, number];
  map.delete(oldest);
  return [oldest, its];
}

describe('BoundedMap', () => {
  it('forgets the least recently set entry beyond its capacity', () => {
    const m = new BoundedMap<string, number>(2);
    expect(m.set('a', 1)).toBeUndefined();
    expect(m.set('b', 2)).toBeUndefined();
    m.set('a', 10); // a is now the newest
    expect(m.set('c', 3)).toEqual(['b', 2]);
    expect([m.has('a'), m.has('b'), m.has('c'), m.size]).toEqual([true, false, true, 2]);
    expect(m.get('a')).toBe(10);
  });

  it('keeps nothing at capacity 0, and refuses a capacity that is not a whole number', () => {
    const m = new BoundedMap<string, number>(0);
    expect(m.set('a', 1)).toEqual(['a', 1]);
    expect(m.size).toBe(0);
    expect(() => new BoundedMap(-1)).toThrow(RangeError);
    expect(() => new BoundedMap(1.5)).toThrow(RangeError);
  });

  it('evicts exactly as a plain Map read from its oldest entry would, through deletes, refreshes and clears', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 40 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.array(op, { maxLength: 300 }), (capacity, ops) => {
        const m = new BoundedMap<number, number>(capacity);
        const reference = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'set') expect(m.set(o.key, o.value)).toEqual(referenceSet(reference, capacity, o.key, o.value));
          else if (o.kind === 'delete') expect(m.delete(o.key)).toBe(reference.delete(o.key));
          else {
            m.clear();
            reference.clear();
          }
          expect(m.size).toBe(reference.size);
        }
        for (const [k, v] of reference) expect(m.get(k)).toBe(v);
      }),
      { numRuns: 300 },
    );
  });

  it('stays bounded and keeps the newest entries through many times its capacity of evictions (V8 rehashes meanwhile)', () => {
    const m = new BoundedMap<number, number>(1000);
    for (let i = 0; i < 50_000; i++) m.set(i, i);
    expect(m.size).toBe(1000);
    expect([m.get(49_000), m.get(49_999)]).toEqual([49_000, 49_999]);
    expect(m.has(48_999)).toBe(false);
  });
});
