import fc from 'fast-check';
import { canonicalJson, withSortedKeys } from './canonical-json';

/**
 * The form every stored requestHash and every seal's event hash was computed with, written the plain way: the fast
 * canonicalJson must give exactly these bytes, or stored hashes would stop matching.
 */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
}

// Keys that objects list in an order of their own (integer-like) or that are special ("__proto__").
const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '2', '01', '-1', '1.5', '__proto__', 'a', 'B', 'é', '😀'));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
})).value;

// Values JSON.stringify treats in its own ways: toJSON (dates, objects whose toJSON returns unsorted keys), and members
// it leaves out of objects or writes as null in arrays.
const quirky = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    json,
    fc.date(),
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.constant(Symbol('s')),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }).map((d) => ({ toJSON: () => d })),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }).map((d) => Object.assign(() => 1, { toJSON: () => d })),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('canonical JSON', () => {
  it('means what JSON.stringify means, and is its own canonical form once parsed (what a store vouches for)', () => {
    fc.assert(
      fc.property(quirky, (v) => {
        const written = canonicalJson(v);
        const plain = JSON.stringify(v);
        if (plain === undefined) return expect(written).toBeUndefined();
        expect(JSON.parse(written)).toEqual(JSON.parse(plain));
        expect(canonicalJson(JSON.parse(written))).toBe(written);
      }),
      { numRuns: 3000 },
    );
  });


  it('writes exactly what the plain reference form writes, for any JSON value', () => {
    fc.assert(fc.property(json, (v) => expect(canonicalJson(v)).toBe(reference(v))), { numRuns: 2000 });
  });

  it('writes the same for a value parsed back from its own JSON (as stores return events)', () => {
    fc.assert(fc.property(json, (v) => expect(canonicalJson(JSON.parse(JSON.stringify(v)))).toBe(reference(v))), { numRuns: 500 });
  });

  it('writes a value withSortedKeys returned without looking at its keys again, inside a larger value too', () => {
    let keyListings = 0;
    const counted = <T extends object>(target: T): T =>
      new Proxy(target, {
        ownKeys: (t) => {
          keyListings += 1;
          return Reflect.ownKeys(t);
        },
      });
    const sorted = withSortedKeys(counted({ a: 1, b: { c: [1, 2], d: 'x' } }));
    const holder = { z: sorted, a: [sorted] };
    keyListings = 0;
    const written = canonicalJson(holder);
    expect(written).toBe('{"a":[{"a":1,"b":{"c":[1,2],"d":"x"}}],"z":{"a":1,"b":{"c":[1,2],"d":"x"}}}');
    expect(keyListings).toBe(2); // JSON.stringify's own listing of each occurrence; none by the sort
    keyListings = 0;
    expect(canonicalJson(sorted)).toBe('{"a":1,"b":{"c":[1,2],"d":"x"}}');
    expect(keyListings).toBe(1);
  });
});
