import type { KeyValueStore } from './key-value-store.js';
import { LruCache } from './lru-cache.js';

/** A key known to be absent from the backing store (cached like a value, so a miss is not re-read every batch). */
const ABSENT = Symbol('absent');
type Cached<V> = { readonly value: V } | typeof ABSENT;

/**
 * A synchronous `KeyValueStore` that holds a bounded, most-recently-used part of a larger backing
 * store (a Redis hash the adapter reads). The domain stays synchronous: before a batch the adapter
 * asks which keys are `uncached`, reads them in one round trip and `load`s them; a `get` of a key
 * that was neither cached nor loaded answers undefined and is remembered in `takeUnresolved`, so the
 * adapter can read it and prepare the batch again (a read must never be taken for "absent" unchecked).
 *
 * Only the backing store's single writer may use it: writes (`set`, `delete`) are the committed
 * changes the writer also applies to the backing store, so the cache never goes stale.
 */
export class CachedStore<V> implements KeyValueStore<V> {
  private readonly lru: LruCache<string, Cached<V>>;
  private unresolved = new Set<string>();

  constructor(capacity: number) {
    this.lru = new LruCache(capacity);
  }

  get capacity(): number {
    return this.lru.capacity;
  }

  /** Cached keys, absent markers included; above capacity only between a `load` and the next `trim`. */
  get size(): number {
    return this.lru.size;
  }

  get(key: string): V | undefined {
    const cached = this.lru.peek(key);
    if (cached === undefined) {
      this.unresolved.add(key);
      return undefined;
    }
    return cached === ABSENT ? undefined : cached.value;
  }

  set(key: string, value: V): void {
    this.lru.set(key, { value });
  }

  delete(key: string): void {
    this.lru.set(key, ABSENT);
  }

  /** The keys not cached (to be read from the backing store); the cached ones become the most recent. */
  uncached(keys: Iterable<string>): string[] {
    const missing: string[] = [];
    for (const key of keys) if (!this.lru.touch(key)) missing.push(key);
    return missing;
  }

  /** What the backing store holds for keys read from it: a value, or undefined when it has none. */
  load(entries: Iterable<readonly [string, V | undefined]>): void {
    for (const [key, value] of entries) this.lru.set(key, value === undefined ? ABSENT : { value });
  }

  /** Keys read by `get` without being cached since the last call. */
  takeUnresolved(): string[] {
    const keys = [...this.unresolved];
    this.unresolved = new Set();
    return keys;
  }

  /** Evicts down to capacity; returns the number evicted. */
  trim(): number {
    return this.lru.trim();
  }

  /** Forgets everything (the backing store may have moved without us): every key is read again. */
  clear(): void {
    this.lru.clear();
    this.unresolved = new Set();
  }
}
