import { binDataset, binOf, fitBinMapper, MAX_BINS_LIMIT, splitThreshold } from './quantile-binning';
import type { Dataset } from './dataset';
import { SeededRandom } from './seeded-random';

const dataset = (columns: number[][]): Dataset => {
  const rows = columns[0]!.length;
  const F = columns.length;
  const values = new Float32Array(rows * F);
  for (let i = 0; i < rows; i++) for (let f = 0; f < F; f++) values[i * F + f] = columns[f]![i]!;
  return { featureNames: columns.map((_, f) => `f${f}`), rows, values, labels: new Uint8Array(rows) };
};

describe('quantile binning', () => {
  it('puts one bin per distinct value when there are few, with thresholds strictly between them', () => {
    const mapper = fitBinMapper(dataset([[0, 1, 1, 0, 1, 3]]));
    expect(Array.from(mapper.edges[0]!)).toEqual([0.5, 2]);
    expect([0, 1, 3].map((x) => binOf(mapper.edges[0]!, x))).toEqual([0, 1, 2]);
  });

  it('gives a constant feature a single bin', () => {
    expect(fitBinMapper(dataset([[7, 7, 7]])).edges[0]!.length).toBe(0);
  });

  it('caps continuous features at maxBins with roughly equal counts', () => {
    const rng = new SeededRandom(3);
    const col = Array.from({ length: 20000 }, () => Math.exp(5 * rng.next()));
    const d = dataset([col]);
    const mapper = fitBinMapper(d, MAX_BINS_LIMIT);
    expect(mapper.edges[0]!.length).toBe(MAX_BINS_LIMIT - 1);
    const bins = binDataset(mapper, d);
    const counts = new Array<number>(MAX_BINS_LIMIT).fill(0);
    for (const b of bins) counts[b]!++;
    expect(Math.max(...counts)).toBeLessThan(2 * (20000 / MAX_BINS_LIMIT));
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it('chooses float32 thresholds that separate adjacent float32 values exactly as float32 "x <= t" does', () => {
    const lo = Math.fround(1.1);
    const hi = new Float32Array(new Uint32Array([new Uint32Array(new Float32Array([lo]).buffer)[0]! + 1]).buffer)[0]!;
    const t = splitThreshold(lo, hi); // adjacent floats: no float32 midpoint exists
    expect(Math.fround(t)).toBe(t);
    expect(lo <= t).toBe(true);
    expect(hi <= t).toBe(false);
    const mapper = fitBinMapper(dataset([[lo, hi, lo, hi]]));
    expect(binOf(mapper.edges[0]!, lo)).toBe(0);
    expect(binOf(mapper.edges[0]!, hi)).toBe(1);
  });

  it('bins every training value consistently with its threshold comparison', () => {
    const rng = new SeededRandom(9);
    const col = Array.from({ length: 5000 }, () => Math.round(rng.next() * 1e4) / 100);
    const d = dataset([col]);
    const mapper = fitBinMapper(d, 64);
    const edges = mapper.edges[0]!;
    const bins = binDataset(mapper, d);
    let mismatches = 0;
    for (let i = 0; i < d.rows; i++) {
      const x = d.values[i]!;
      for (let b = 0; b < edges.length; b++) if (bins[i]! <= b !== x <= edges[b]!) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('rejects an invalid bin count', () => {
    expect(() => fitBinMapper(dataset([[1, 2]]), 256)).toThrow(RangeError);
    expect(() => fitBinMapper(dataset([[1, 2]]), 1)).toThrow(RangeError);
  });
});
