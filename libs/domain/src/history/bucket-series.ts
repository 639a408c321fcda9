/**
 * Counts and amount sums of one entity's events in buckets of one granularity, sparse (only buckets that hold an
 * event), for the newest `retained` buckets it has seen. Packed into one array of numbers, [bucket, count, sum, …] in
 * ascending bucket order: an entity with one event a day costs one triple per day retained, not one per bucket.
 *
 * Events may arrive out of time order (the log's order is the order they were decided, not when they occurred). A
 * bucket older than the newest one seen minus `retained - 1` is dropped, and an event that old is not added: the
 * state stays a function of the events applied, whatever their order, and a query never reads beyond what is kept.
 */
export class BucketSeries {
  private cells: number[] = [];

  constructor(readonly retained: number) {
    if (!Number.isInteger(retained) || retained < 1) throw new RangeError(`retained must be a whole number ≥ 1, got ${retained}`);
  }

  /** The newest bucket seen, or undefined before the first event. */
  get newest(): number | undefined {
    return this.cells.length === 0 ? undefined : this.cells[this.cells.length - 3];
  }

  /** Buckets held (for memory accounting and tests). */
  get size(): number {
    return this.cells.length / 3;
  }

  add(bucket: number, amount: number): void {
    const cells = this.cells;
    const newest = this.newest;
    if (newest !== undefined && bucket <= newest - this.retained) return; // older than anything kept
    // Usually the newest bucket or a new one after it: look from the end.
    let i = cells.length - 3;
    while (i >= 0 && (cells[i] as number) > bucket) i -= 3;
    if (i >= 0 && cells[i] === bucket) {
      cells[i + 1] = (cells[i + 1] as number) + 1;
      cells[i + 2] = (cells[i + 2] as number) + amount;
      return;
    }
    // A new array of exactly the length needed: a million entities with a few buckets each would otherwise carry
    // push's spare capacity (16+ slots an array).
    const oldestKept = Math.max(bucket, newest ?? bucket) - this.retained + 1;
    let drop = 0;
    while (drop < cells.length && (cells[drop] as number) < oldestKept) drop += 3;
    this.cells = cells.slice(drop, i + 3).concat([bucket, 1, amount], cells.slice(Math.max(drop, i + 3)));
  }

  /** Count and sum over the `buckets` buckets ending with `bucket` (at most `retained` of them are known). */
  window(bucket: number, buckets: number): { count: number; sum: number } {
    const cells = this.cells;
    const from = bucket - buckets + 1;
    let count = 0;
    let sum = 0;
    for (let i = cells.length - 3; i >= 0; i -= 3) {
      const b = cells[i] as number;
      if (b > bucket) continue;
      if (b < from) break;
      count += cells[i + 1] as number;
      sum += cells[i + 2] as number;
    }
    return { count, sum };
  }
}
