/**
 * A least-recently-used map over `Map`'s insertion order. Reads (`peek`) do not reorder; `touch` and
 * `set` make a key the most recent. `trim` evicts the oldest keys down to `capacity`: eviction is the
 * caller's call, so entries loaded for one batch stay readable until the batch is done.
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`LRU capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Makes a present key the most recently used; false when it is not cached. */
  touch(key: K): boolean {
    if (!this.map.has(key)) return false;
    const value = this.map.get(key) as V;
    this.map.delete(key);
    this.map.set(key, value);
    return true;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
  }

  /** Evicts least recently used keys until at most `capacity` remain; returns how many were evicted. */
  trim(): number {
    let evicted = 0;
    for (const key of this.map.keys()) {
      if (this.map.size <= this.capacity) break;
      this.map.delete(key);
      evicted += 1;
    }
    return evicted;
  }

  clear(): void {
    this.map.clear();
  }
}
