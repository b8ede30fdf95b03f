/**
 * The one storage shape the domain needs: a synchronous map from string keys to plain JSON values.
 * The adapter keeps the normaliser's state in memory behind this interface (loaded from Redis at
 * start) and persists the changes each record made (`StateChange`) atomically with its offset;
 * every store maps naturally onto one Redis hash (HSET / HDEL, values as JSON).
 */
export interface KeyValueStore<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
}

/** In-memory store; also the adapter's working copy. */
export class MapStore<V> implements KeyValueStore<V> {
  private readonly map: Map<string, V>;

  constructor(entries: Readonly<Record<string, V>> = {}) {
    this.map = new Map(Object.entries(entries));
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): void {
    this.map.set(key, value);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  /** Replaces the whole contents. */
  replaceAll(entries: Readonly<Record<string, V>>): void {
    this.map.clear();
    for (const [key, value] of Object.entries(entries)) this.map.set(key, value);
  }

  /** A plain object copy of the contents (serialisable when the values are). */
  entries(): Record<string, V> {
    return Object.fromEntries(this.map);
  }
}

/** Forwards to `store` and reports every write; `value` null means the key was deleted. */
export function journaled<V>(store: KeyValueStore<V>, onChange: (key: string, value: V | null) => void): KeyValueStore<V> {
  return {
    get: (key) => store.get(key),
    set: (key, value) => {
      store.set(key, value);
      onChange(key, value);
    },
    delete: (key) => {
      store.delete(key);
      onChange(key, null);
    },
  };
}
