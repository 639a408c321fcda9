import { addToSeries, seriesWindow } from './bucket-series';
import { bucketOf, HISTORY_WINDOWS, type HistoryWindow } from './history-windows';

/** Granularities the windows use, each with as many buckets as its longest window needs. */
const SERIES: ReadonlyArray<{ readonly bucketMs: number; readonly retained: number }> = (() => {
  const byGranularity = new Map<number, number>();
  for (const w of HISTORY_WINDOWS) byGranularity.set(w.bucketMs, Math.max(byGranularity.get(w.bucketMs) ?? 0, w.buckets));
  return [...byGranularity].map(([bucketMs, retained]) => ({ bucketMs, retained }));
})();

/** The series of each granularity. */
const SERIES_INDEX = new Map(SERIES.map((s, i) => [s.bucketMs, i]));

/** Layout of `cells`: first and last time seen, then the number of buckets in each series, then the series. */
const FIRST = 0;
const LAST = 1;
const HEADER = 2 + SERIES.length;

/**
 * What one entity (a card, a terminal…) did before: its transactions in sparse buckets of each granularity (a
 * series of [bucket, count, amount sum] triples in ascending bucket order, for the newest `retained` buckets it has
 * seen), and when it was first and last seen. Everything sits in ONE array of numbers of exactly the length it needs:
 * a million entities with a few transactions each cost about 500 bytes apiece, where an object and an array per
 * series took 1.7 times the heap (2,336 MB against 1,343 MB for a million cards, `npm run bench:history`).
 * Out-of-order transactions follow the series' rules (bucket-series.ts).
 */
export class EntityHistory {
  private cells: number[] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, ...SERIES.map(() => 0)];

  /** Earliest transaction time applied (epoch ms; +Infinity before the first). */
  get firstAt(): number {
    return this.cells[FIRST] as number;
  }

  /** Latest transaction time applied (epoch ms; -Infinity before the first). */
  get lastAt(): number {
    return this.cells[LAST] as number;
  }

  /** Buckets held across its series (memory accounting). */
  get buckets(): number {
    let n = 0;
    for (let s = 0; s < SERIES.length; s++) n += this.cells[2 + s] as number;
    return n;
  }

  /** Applies one of its transactions: when it occurred (epoch ms) and its amount. */
  add(atMs: number, amount: number): void {
    const old = this.cells;
    const out: number[] = [Math.min(old[FIRST] as number, atMs), Math.max(old[LAST] as number, atMs)];
    const segments: number[][] = [];
    let start = HEADER;
    for (let s = 0; s < SERIES.length; s++) {
      const spec = SERIES[s] as { bucketMs: number; retained: number };
      const length = (old[2 + s] as number) * 3;
      const segment = old.slice(start, start + length);
      start += length;
      segments.push(addToSeries(segment, spec.retained, bucketOf(atMs, spec.bucketMs), amount));
    }
    for (const segment of segments) out.push(segment.length / 3);
    // concat allocates exactly the length needed.
    this.cells = out.concat(...segments);
  }

  /** Its transactions in `window` as seen at `atMs`: how many, and their amounts' sum. */
  window(window: HistoryWindow, atMs: number): { count: number; sum: number } {
    const s = SERIES_INDEX.get(window.bucketMs);
    if (s === undefined || (SERIES[s] as { retained: number }).retained < window.buckets) throw new RangeError(`not a history window: ${window.name}`);
    const cells = this.cells;
    let start = HEADER;
    for (let k = 0; k < s; k++) start += (cells[2 + k] as number) * 3;
    const end = start + (cells[2 + s] as number) * 3;
    return seriesWindow(cells, start, end, bucketOf(atMs, window.bucketMs), window.buckets);
  }
}
