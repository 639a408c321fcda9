/**
 * The time windows of the history features. Each is a run of whole buckets ending with the bucket that holds the
 * moment asked about: "the last 24 h" at 14:37 is the 24 one-hour buckets from 15:00 the day before up to 15:00
 * today, the current (partial) hour included. Bucketed windows keep an entity's state small and bounded whatever its
 * traffic (a busy terminal and a quiet card cost the same number of buckets), and they are still an exact function
 * of the events applied, which is what makes a decision's history features recomputable from the log.
 */
export interface HistoryWindow {
  /** Suffix of the features over this window: `card_count_24h`. */
  readonly name: '10m' | '1h' | '24h' | '7d' | '30d';
  readonly bucketMs: number;
  /** Buckets in the window, the current one included. */
  readonly buckets: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const HISTORY_WINDOWS: readonly HistoryWindow[] = Object.freeze([
  { name: '10m', bucketMs: MINUTE, buckets: 10 },
  { name: '1h', bucketMs: 5 * MINUTE, buckets: 12 },
  { name: '24h', bucketMs: HOUR, buckets: 24 },
  { name: '7d', bucketMs: DAY, buckets: 7 },
  { name: '30d', bucketMs: DAY, buckets: 30 },
]);

/** The bucket that holds `atMs` (UTC epoch milliseconds) at this granularity. */
export const bucketOf = (atMs: number, bucketMs: number): number => Math.floor(atMs / bucketMs);
