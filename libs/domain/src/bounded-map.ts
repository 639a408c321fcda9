/**
 * A Map bounded to `capacity` entries (0: keeps nothing) that forgets its oldest entry first (insertion order; set()
 * makes an entry the newest, so a caller that sets on every use gets least-recently-used eviction).
 *
 * The oldest entry is found through one live iterator kept across evictions, never through a fresh keys().next():
 * V8 leaves a deleted entry as a hole until the table is rehashed, and a fresh iterator walks every hole before the
 * first live entry. Once such a cache is full, each eviction then walked up to about half the capacity (a 100,000-
 * entry pseudonym cache went from 7 to as much as 58 µs a miss: npm run bench:pseudonym-cache). A live iterator passes each hole once. By the language's
 * definition a Map iterator sees entries added after it was made and skips those deleted before it reached them,
 * and every entry it has passed was evicted when it passed it, so the next entry it gives is the oldest one left.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  /**
   * Made at the first eviction. An iterator keeps the table it started on, and every table V8 rebuilt the map into
   * since, until its next step. A map that is set and deleted without evicting (refreshes of entries it holds, or
   * while below capacity) would have it hold every table ever since: the first version doubled the history state's
   * memory that way. So it is dropped after `capacity` changes without a step; V8 rebuilds the table about once per
   * that many changes, so at most a table or two are held, and the fresh iterator that replaces it walks at most one
   * table's holes, once per `capacity` changes.
   */
  private oldest: Iterator<K> | undefined;
  private changesSinceStep = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`capacity must be an integer ≥ 0, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Sets the entry as the newest; returns the oldest entry if it had to go to make room. */
  set(key: K, value: V): [K, V] | undefined {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) return this.evictOldest();
    this.changedWithoutStep();
    return undefined;
  }

  delete(key: K): boolean {
    const deleted = this.map.delete(key);
    if (deleted) this.changedWithoutStep();
    return deleted;
  }

  clear(): void {
    this.map.clear();
    this.oldest = undefined;
  }

  private changedWithoutStep(): void {
    if (this.oldest !== undefined && ++this.changesSinceStep > this.capacity) this.oldest = undefined;
  }

  private evictOldest(): [K, V] {
    this.changesSinceStep = 0;
    this.oldest ??= this.map.keys();
    // Never done: the entry just set lies ahead of it, and the map holds more than `capacity` ≥ 0 entries.
    const key = this.oldest.next().value as K;
    const value = this.map.get(key) as V;
    this.map.delete(key);
    return [key, value];
  }
}
