import { BucketSeries } from './bucket-series';
import { bucketOf, HISTORY_WINDOWS, type HistoryWindow } from './history-windows';

/** Granularities the windows use, each with as many buckets as its longest window needs. */
const SERIES: ReadonlyArray<{ readonly bucketMs: number; readonly retained: number }> = (() => {
  const byGranularity = new Map<number, number>();
  for (const w of HISTORY_WINDOWS) byGranularity.set(w.bucketMs, Math.max(byGranularity.get(w.bucketMs) ?? 0, w.buckets));
  return [...byGranularity].map(([bucketMs, retained]) => ({ bucketMs, retained }));
})();

const seriesIndexOf = (w: HistoryWindow): number => SERIES.findIndex((s) => s.bucketMs === w.bucketMs);

/** What one entity (a card, a terminal…) did before: its transactions in buckets, and when it was first and last seen. */
export class EntityHistory {
  private readonly series = SERIES.map((s) => new BucketSeries(s.retained));
  /** Earliest and latest transaction time applied (epoch ms). */
  firstAt = Number.POSITIVE_INFINITY;
  lastAt = Number.NEGATIVE_INFINITY;

  /** Applies one of its transactions: when it occurred (epoch ms) and its amount. */
  add(atMs: number, amount: number): void {
    SERIES.forEach((s, i) => (this.series[i] as BucketSeries).add(bucketOf(atMs, s.bucketMs), amount));
    if (atMs < this.firstAt) this.firstAt = atMs;
    if (atMs > this.lastAt) this.lastAt = atMs;
  }

  /** Its transactions in `window` as seen at `atMs`: how many, and their amounts' sum. */
  window(window: HistoryWindow, atMs: number): { count: number; sum: number } {
    return (this.series[seriesIndexOf(window)] as BucketSeries).window(bucketOf(atMs, window.bucketMs), window.buckets);
  }

  /** Buckets held across its series (memory accounting). */
  get buckets(): number {
    return this.series.reduce((n, s) => n + s.size, 0);
  }
}
