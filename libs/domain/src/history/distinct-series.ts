/**
 * The distinct values (merchants, countries) one entity used, by bucket, for the newest `retained` buckets it has
 * seen: one (bucket, value) pair per value per bucket, in ascending bucket order. At most `cap` pairs are kept (the
 * oldest go first), so a card used at thousands of terminals in a day still costs a bounded amount; the counts then
 * saturate at `cap`. Like BucketSeries, what is kept depends only on the events applied, in their order.
 */
export class DistinctSeries {
  private buckets: number[] = [];
  private values: string[] = [];

  constructor(
    readonly retained: number,
    readonly cap: number,
  ) {
    if (!Number.isInteger(retained) || retained < 1) throw new RangeError(`retained must be a whole number ≥ 1, got ${retained}`);
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`cap must be a whole number ≥ 1, got ${cap}`);
  }

  get size(): number {
    return this.values.length;
  }

  add(bucket: number, value: string): void {
    const newest = this.buckets.at(-1);
    if (newest !== undefined && bucket <= newest - this.retained) return;
    let i = this.buckets.length - 1;
    while (i >= 0 && (this.buckets[i] as number) > bucket) i--;
    for (let j = i; j >= 0 && this.buckets[j] === bucket; j--) if (this.values[j] === value) return;
    // New arrays of exactly the length needed (no spare capacity), without what falls out of the window or the cap.
    const buckets = this.buckets.slice(0, i + 1).concat([bucket], this.buckets.slice(i + 1));
    const values = this.values.slice(0, i + 1).concat([value], this.values.slice(i + 1));
    const oldestKept = (buckets.at(-1) as number) - this.retained + 1;
    let drop = 0;
    while (drop < buckets.length && ((buckets[drop] as number) < oldestKept || buckets.length - drop > this.cap)) drop++;
    this.buckets = drop > 0 ? buckets.slice(drop) : buckets;
    this.values = drop > 0 ? values.slice(drop) : values;
  }

  /** Distinct values over the `buckets` buckets ending with `bucket`. */
  distinct(bucket: number, buckets: number): number {
    const from = bucket - buckets + 1;
    const seen = new Set<string>();
    for (let i = this.buckets.length - 1; i >= 0; i--) {
      const b = this.buckets[i] as number;
      if (b > bucket) continue;
      if (b < from) break;
      seen.add(this.values[i] as string);
    }
    return seen.size;
  }
}
