import type { Redis } from 'ioredis';
import { AppError, ErrorCode, type StateVersion } from '@streamrec/foundation';
import { CachedStore, lazyStoreNames, type LazyStoreName, type LookupKeys, type StoreValue } from '../domain/index.js';
import { storeKey } from './redis-normalize-state.js';

/** What the lookup caches report (see normalize-metrics.ts). */
export interface LookupCacheMetrics {
  hits(store: LazyStoreName, count: number): void;
  misses(store: LazyStoreName, count: number): void;
  evictions(store: LazyStoreName, count: number): void;
  entries(store: LazyStoreName, count: number): void;
  /** A preparation read a key the scan had not foreseen and was run again. */
  reprepared(): void;
}

export type LookupStores = { readonly [S in LazyStoreName]: CachedStore<StoreValue<S>> };

/**
 * The normaliser's lazily loaded stores (`lazyStoreNames`): a bounded LRU per store in front of its
 * Redis hash. Before a batch is normalised the handler hands over the keys the batch may read; the
 * uncached ones are read with HMGET, all stores in one pipeline. Entries loaded for a batch stay
 * until `settle` (after the commit), so a batch reading more keys than the capacity still sees them all.
 */
export interface StateLookups {
  readonly stores: LookupStores;
  /** Reads the keys of `keys` that are not cached (one round trip). */
  prefetch(keys: LookupKeys): Promise<void>;
  /** Reads the keys a preparation needed but found uncached; true when there were any (prepare again). */
  resolveUnresolved(): Promise<boolean>;
  /** After a batch: evicts down to capacity. */
  settle(): void;
  /** Forgets every cached entry (the state in Redis may have moved without this process knowing). */
  invalidate(): void;
}

/** Reads fields of the lazily loaded stores' hashes: per store, the JSON of each field in order, null when absent. */
export type LookupReader = (wanted: ReadonlyMap<LazyStoreName, readonly string[]>) => Promise<ReadonlyMap<LazyStoreName, readonly (string | null)[]>>;

/** HMGET fields per call: bounds one command's size and how long it holds Redis. */
const FIELDS_PER_HMGET = 1_000;

/** The reader over the stores' Redis hashes: HMGET in chunks, every store in one pipeline (one round trip). */
export function redisLookupReader(redis: Redis, version: StateVersion): LookupReader {
  return async (wanted) => {
    const pipeline = redis.pipeline();
    const calls: { store: LazyStoreName; fields: readonly string[] }[] = [];
    for (const [store, fields] of wanted) {
      for (let start = 0; start < fields.length; start += FIELDS_PER_HMGET) {
        const chunk = fields.slice(start, start + FIELDS_PER_HMGET);
        pipeline.hmget(storeKey(version, store), ...chunk);
        calls.push({ store, fields: chunk });
      }
    }
    const result = new Map<LazyStoreName, (string | null)[]>();
    if (calls.length === 0) return result;
    let replies: [Error | null, unknown][];
    try {
      replies = (await pipeline.exec()) ?? [];
    } catch (cause) {
      throw unavailable(cause);
    }
    calls.forEach((call, index) => {
      const [error, reply] = replies[index] ?? [new Error('no reply from Redis'), null];
      if (error) throw unavailable(error);
      const values = result.get(call.store) ?? [];
      values.push(...(reply as (string | null)[]));
      result.set(call.store, values);
    });
    return result;
  };
}

export interface StateLookupOptions {
  readonly read: LookupReader;
  /** Entries per store. */
  readonly capacity: number;
  readonly metrics?: LookupCacheMetrics;
}

export function createStateLookups(options: StateLookupOptions): StateLookups {
  const { capacity, metrics } = options;
  const stores = Object.fromEntries(lazyStoreNames.map((name) => [name, new CachedStore<unknown>(capacity)])) as unknown as LookupStores;
  const storeOf = (name: LazyStoreName): CachedStore<unknown> => stores[name];

  const read = async (wanted: ReadonlyMap<LazyStoreName, readonly string[]>): Promise<void> => {
    if (wanted.size === 0) return;
    // Read everything before loading anything: a failed read leaves the caches as they were.
    const replies = await options.read(wanted);
    for (const [name, fields] of wanted) {
      const values = replies.get(name) ?? [];
      storeOf(name).load(fields.map((field, index) => {
        const json = values[index];
        return [field, json === null || json === undefined ? undefined : (JSON.parse(json) as unknown)] as const;
      }));
    }
  };

  const report = (): void => {
    for (const name of lazyStoreNames) metrics?.entries(name, storeOf(name).size);
  };

  return {
    stores,
    async prefetch(keys) {
      const wanted = new Map<LazyStoreName, string[]>();
      for (const name of lazyStoreNames) {
        const store = storeOf(name);
        store.takeUnresolved(); // what an abandoned preparation left behind
        const needed = keys[name];
        const missing = store.uncached(needed);
        metrics?.hits(name, needed.size - missing.length);
        metrics?.misses(name, missing.length);
        if (missing.length > 0) wanted.set(name, missing);
      }
      await read(wanted);
    },
    async resolveUnresolved() {
      const wanted = new Map<LazyStoreName, string[]>();
      for (const name of lazyStoreNames) {
        const unresolved = storeOf(name).takeUnresolved();
        if (unresolved.length === 0) continue;
        metrics?.misses(name, unresolved.length);
        wanted.set(name, unresolved);
      }
      if (wanted.size === 0) return false;
      metrics?.reprepared();
      await read(wanted);
      return true;
    },
    settle() {
      for (const name of lazyStoreNames) {
        const evicted = storeOf(name).trim();
        if (evicted > 0) metrics?.evictions(name, evicted);
      }
      report();
    },
    invalidate() {
      for (const name of lazyStoreNames) storeOf(name).clear();
      report();
    },
  };
}

/** A failed read is retried by the consumer loop (with backoff, the batch prepared again), not a crash. */
function unavailable(cause: unknown): AppError {
  return new AppError(ErrorCode.DependencyUnavailable, `reading normalize state from Redis failed: ${(cause as Error).message}`, { retriable: true, cause });
}
