import { deriveSeed, Random } from './prng';

describe('Random', () => {
  it('repeats the same sequence for the same seed and differs across seeds and streams', () => {
    const seq = (r: Random) => Array.from({ length: 8 }, () => r.nextUint32());
    expect(seq(new Random(1))).toEqual(seq(new Random(1)));
    expect(seq(new Random(1))).not.toEqual(seq(new Random(2)));
    expect(deriveSeed(42, 'day:0')).not.toBe(deriveSeed(42, 'day:1'));
    expect(deriveSeed(2 ** 40 + 1, 'x')).not.toBe(deriveSeed(1, 'x'));
  });

  it('draws uniforms in [0, 1) with a plausible mean', () => {
    const r = new Random(7);
    let sum = 0;
    for (let i = 0; i < 50_000; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(sum / 50_000).toBeCloseTo(0.5, 1);
  });

  it('draws normals and Poisson counts with the requested means', () => {
    const r = new Random(9);
    const n = 40_000;
    let normal = 0;
    let poisson = 0;
    let big = 0;
    for (let i = 0; i < n; i++) {
      normal += r.normal(10, 2);
      poisson += r.poisson(2.5);
      big += r.poisson(100);
    }
    expect(normal / n).toBeCloseTo(10, 1);
    expect(poisson / n).toBeCloseTo(2.5, 1);
    expect(big / n).toBeGreaterThan(99);
    expect(big / n).toBeLessThan(101);
  });

  it('respects integer bounds, weights and sampling without replacement', () => {
    const r = new Random(11);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.weightedIndex([1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.5);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.5);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 5);
      expect(v >= 3 && v <= 5 && Number.isInteger(v)).toBe(true);
    }
    const s = r.sample([1, 2, 3, 4, 5], 3);
    expect(new Set(s).size).toBe(3);
    expect(r.sample([1, 2], 5).sort()).toEqual([1, 2]);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(r.hex(16)).toMatch(/^[0-9a-f]{16}$/);
  });
});
