/**
 * A series of one entity's events in buckets of one granularity, as [bucket, count, amount sum] triples in ascending
 * bucket order, sparse (only buckets that hold an event), for the newest `retained` buckets it has seen: an entity
 * with one event a day costs one triple per day retained, not one per bucket.
 *
 * Events may arrive out of time order (the log's order is the order they were decided, not when they occurred). A
 * bucket older than the newest one seen minus `retained - 1` is dropped, and an event that old is not added: the
 * series stays a function of the events applied, in their order, and a query never reads beyond what is kept.
 */

/** The series `cells` with an event added (the same array, or a new one of exactly the length it needs). */
export function addToSeries(cells: number[], retained: number, bucket: number, amount: number): number[] {
  const newest = cells.length === 0 ? undefined : (cells[cells.length - 3] as number);
  if (newest !== undefined && bucket <= newest - retained) return cells; // older than anything kept
  // Usually the newest bucket or a new one after it: look from the end.
  let i = cells.length - 3;
  while (i >= 0 && (cells[i] as number) > bucket) i -= 3;
  if (i >= 0 && cells[i] === bucket) {
    cells[i + 1] = (cells[i + 1] as number) + 1;
    cells[i + 2] = (cells[i + 2] as number) + amount;
    return cells;
  }
  const oldestKept = Math.max(bucket, newest ?? bucket) - retained + 1;
  let drop = 0;
  while (drop < cells.length && (cells[drop] as number) < oldestKept) drop += 3;
  // slice and concat allocate exactly the length needed: a million entities would otherwise carry push's spare slots.
  return cells.slice(drop, Math.max(drop, i + 3)).concat([bucket, 1, amount], cells.slice(Math.max(drop, i + 3)));
}

/** Count and sum over the `buckets` buckets ending with `bucket`, of the series in cells[start, end). */
export function seriesWindow(cells: readonly number[], start: number, end: number, bucket: number, buckets: number): { count: number; sum: number } {
  const from = bucket - buckets + 1;
  let count = 0;
  let sum = 0;
  for (let i = end - 3; i >= start; i -= 3) {
    const b = cells[i] as number;
    if (b > bucket) continue;
    if (b < from) break;
    count += cells[i + 1] as number;
    sum += cells[i + 2] as number;
  }
  return { count, sum };
}

/** One series on its own (a card's declines). */
export class BucketSeries {
  private cells: number[] = [];

  constructor(readonly retained: number) {
    if (!Number.isInteger(retained) || retained < 1) throw new RangeError(`retained must be a whole number ≥ 1, got ${retained}`);
  }

  /** Buckets held (for memory accounting and tests). */
  get size(): number {
    return this.cells.length / 3;
  }

  add(bucket: number, amount: number): void {
    this.cells = addToSeries(this.cells, this.retained, bucket, amount);
  }

  /** Count and sum over the `buckets` buckets ending with `bucket` (at most `retained` of them are known). */
  window(bucket: number, buckets: number): { count: number; sum: number } {
    return seriesWindow(this.cells, 0, this.cells.length, bucket, buckets);
  }
}
