/**
 * Request-time cache of state every user shares (an item's features, its neighbour lists): kept
 * `ttlMs`, so one request reads only what others have not read lately. Bounded: cleared when full.
 * Scoped to one state version: a replay's `switch` empties it.
 */
export class SharedStateCache<Key, Value> {
  private readonly entries = new Map<Key, { readonly value: Value; readonly expiresAt: number }>();
  private version = '';

  constructor(
    private readonly ttlMs: number,
    private readonly capacity: number,
  ) {}

  /** The fresh values for `keys` at `nowMs`, and the keys to read. */
  lookup(version: string, keys: readonly Key[], nowMs: number): { found: Map<Key, Value>; misses: Key[] } {
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const found = new Map<Key, Value>();
    const misses: Key[] = [];
    for (const key of keys) {
      const entry = this.ttlMs > 0 ? this.entries.get(key) : undefined;
      if (entry !== undefined && entry.expiresAt > nowMs) found.set(key, entry.value);
      else misses.push(key);
    }
    return { found, misses };
  }

  store(key: Key, value: Value, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, { value, expiresAt: nowMs + this.ttlMs });
  }
}
