import { Counter, Gauge, type Registry } from 'prom-client';
import type { NormalizeResult } from '../domain/index.js';
import type { LookupCacheMetrics } from './state-lookups.js';

/** The normaliser's own counters, beside the shared processor metrics on the same registry. */
export interface NormalizeMetrics {
  count(result: NormalizeResult): void;
  /** Source rows (`row`) and outputs (`output`) left out because they name an erased person. */
  erased(what: 'row' | 'output', count: number): void;
}

export function createNormalizeMetrics(registry: Registry): NormalizeMetrics {
  const skipped = new Counter({ name: 'normalize_skipped_total', help: 'Records that benignly produced nothing', labelNames: ['reason'], registers: [registry] });
  const parked = new Counter({ name: 'normalize_parked_total', help: 'Rows parked waiting for what they reference', registers: [registry] });
  const stitches = new Counter({ name: 'normalize_stitches_total', help: 'Anonymous visitors linked to users', registers: [registry] });
  const emitted = new Counter({ name: 'normalize_emitted_total', help: 'Events produced', labelNames: ['kind'], registers: [registry] });
  const erased = new Counter({ name: 'normalize_erased_total', help: 'Source rows and outputs dropped because they name a person on the erasure list', labelNames: ['what'], registers: [registry] });
  return {
    erased(what, count) {
      if (count > 0) erased.inc({ what }, count);
    },
    count(result) {
      for (const reason of result.skipped) skipped.inc({ reason });
      if (result.parked.length > 0) parked.inc(result.parked.length);
      if (result.stitches.length > 0) stitches.inc(result.stitches.length);
      if (result.interactions.length > 0) emitted.inc({ kind: 'interaction' }, result.interactions.length);
      if (result.items.length > 0) emitted.inc({ kind: 'item' }, result.items.length);
      if (result.users.length > 0) emitted.inc({ kind: 'user' }, result.users.length);
    },
  };
}

/** The bounded caches of the lazily loaded stores (actions, visitors, orders, versions), labelled by store. */
export function createLookupCacheMetrics(registry: Registry): LookupCacheMetrics {
  const labelNames = ['store'] as const;
  const entries = new Gauge({ name: 'normalize_state_cache_entries', help: 'Entries held by the cache of a lazily loaded state store (absent markers included)', labelNames, registers: [registry] });
  const hits = new Counter({ name: 'normalize_state_cache_hits_total', help: 'Keys a batch needed that were cached', labelNames, registers: [registry] });
  const misses = new Counter({ name: 'normalize_state_cache_misses_total', help: 'Keys a batch needed that were read from Redis (HMGET)', labelNames, registers: [registry] });
  const evictions = new Counter({ name: 'normalize_state_cache_evictions_total', help: 'Least recently used entries dropped to stay within capacity', labelNames, registers: [registry] });
  const reprepared = new Counter({ name: 'normalize_state_cache_reprepared_total', help: 'Batches prepared again because they read a key the scan had not foreseen', registers: [registry] });
  return {
    hits: (store, count) => hits.inc({ store }, count),
    misses: (store, count) => misses.inc({ store }, count),
    evictions: (store, count) => evictions.inc({ store }, count),
    entries: (store, count) => entries.set({ store }, count),
    reprepared: () => reprepared.inc(),
  };
}
