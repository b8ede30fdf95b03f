import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { AppError, ErrorCode, OpKind, type StateStore } from '@streamrec/foundation';
import { SourceTable } from '@streamrec/cdc';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import {
  createInMemoryState,
  createNormalizer,
  lazyStoreNames,
  residentStoreNames,
  storeNames,
  transactionalState,
  type CdcInput,
  type LazyStoreName,
  type StateSnapshot,
} from '../domain/index.js';
import { Actions, actionRow, cdcFixture, Rows } from '../domain/testing/cdc-fixtures.js';
import { recordStream } from '../domain/testing/record-stream.js';
import { createNormalizeBatchHandler } from './batch-handler.js';
import type { NormalizedOutputs } from './event-producer.js';
import { storeKey } from './redis-normalize-state.js';
import { createStateLookups, type LookupCacheMetrics, type LookupReader, type StateLookups } from './state-lookups.js';

const version = 'v5' as const;

/** Redis as the normaliser uses it: hashes written by the apply (HSET/HDEL), offsets, HMGET reads. */
class MemoryRedis {
  readonly hashes = new Map<string, Map<string, string>>();
  readonly offsets = new Map<string, bigint>();
  /** How often each `store/field` was read by HMGET. */
  readonly reads = new Map<string, number>();

  readonly store: StateStore = {
    applyBatch: (input) => {
      for (const record of input.records) {
        for (const op of record.ops) {
          const hash = this.hashes.get(op.key) ?? new Map<string, string>();
          if (op.kind === OpKind.HSet) hash.set(op.field, op.value);
          else if (op.kind === OpKind.HDel) hash.delete(op.field);
          else throw new Error(`unexpected op ${op.kind}`);
          this.hashes.set(op.key, hash);
        }
      }
      this.offsets.set(`${input.offsetsKey}/${input.field}`, input.lastOffset);
      return Promise.resolve({ applied: input.records.length, skipped: 0, storedOffset: input.lastOffset });
    },
    storedOffset: (key, field) => Promise.resolve(this.offsets.get(`${key}/${field}`)),
  };

  readonly read: LookupReader = (wanted) => {
    const result = new Map<LazyStoreName, (string | null)[]>();
    for (const [store, fields] of wanted) {
      for (const field of fields) this.reads.set(`${store}/${field}`, (this.reads.get(`${store}/${field}`) ?? 0) + 1);
      result.set(store, fields.map((field) => this.hashes.get(storeKey(version, store))?.get(field) ?? null));
    }
    return Promise.resolve(result);
  };

  /** HGETALL of the resident stores, as the process does at start. */
  residentSnapshot(): StateSnapshot {
    const snapshot = Object.fromEntries(storeNames.map((store) => [store, {}])) as Record<string, Record<string, unknown>>;
    for (const store of residentStoreNames) {
      for (const [field, json] of this.hashes.get(storeKey(version, store)) ?? []) (snapshot[store] as Record<string, unknown>)[field] = JSON.parse(json) as unknown;
    }
    return snapshot as unknown as StateSnapshot;
  }

  /** The stored state as plain data, for comparing two runs. */
  dump(): Record<string, Record<string, string>> {
    return Object.fromEntries([...this.hashes].filter(([, hash]) => hash.size > 0).map(([key, hash]) => [key, Object.fromEntries([...hash].sort())]));
  }
}

function countingMetrics(): LookupCacheMetrics & { readonly counts: Record<string, number>; readonly largest: Map<LazyStoreName, number> } {
  const counts: Record<string, number> = { hits: 0, misses: 0, evictions: 0, reprepared: 0 };
  const largest = new Map<LazyStoreName, number>();
  return {
    counts,
    largest,
    hits: (_store, count) => void (counts['hits'] = (counts['hits'] ?? 0) + count),
    misses: (_store, count) => void (counts['misses'] = (counts['misses'] ?? 0) + count),
    evictions: (_store, count) => void (counts['evictions'] = (counts['evictions'] ?? 0) + count),
    entries: (store, count) => void largest.set(store, Math.max(largest.get(store) ?? 0, count)),
    reprepared: () => void (counts['reprepared'] = (counts['reprepared'] ?? 0) + 1),
  };
}

interface Process {
  readonly handler: ReturnType<typeof createNormalizeBatchHandler>;
  readonly lookups?: StateLookups;
}

/** One normalize process over `redis`: whole state in memory (no lookups), or resident state + bounded caches. */
function startProcess(redis: MemoryRedis, published: NormalizedOutputs[], lookups?: StateLookups, store: StateStore = redis.store): Process {
  const resident = createInMemoryState(lookups === undefined ? wholeSnapshot(redis) : redis.residentSnapshot());
  const state = transactionalState(lookups === undefined ? resident : { ...resident, ...lookups.stores });
  const handler = createNormalizeBatchHandler({
    version,
    normalizer: createNormalizer({ state }),
    visitorPseudonym: (visitor) => visitor,
    state,
    store,
    publisher: { publish: (outputs) => Promise.resolve(void published.push(outputs)) },
    metrics: { count: () => undefined, erased: () => undefined },
    log: pino({ level: 'silent' }),
    now: () => 1_000,
    lookups,
  });
  return { handler, lookups };
}

function wholeSnapshot(redis: MemoryRedis): StateSnapshot {
  const snapshot = Object.fromEntries(storeNames.map((store) => [store, {}])) as Record<string, Record<string, unknown>>;
  for (const store of storeNames) {
    for (const [field, json] of redis.hashes.get(storeKey(version, store)) ?? []) (snapshot[store] as Record<string, unknown>)[field] = JSON.parse(json) as unknown;
  }
  return snapshot as unknown as StateSnapshot;
}

/** Consecutive inputs of one topic, at most `size` per batch, with per-topic offsets (one partition each). */
function batchesOf(inputs: readonly CdcInput[], size: number): { topic: string; partition: number; records: ConsumedRecord[] }[] {
  const offsets = new Map<string, number>();
  const batches: { topic: string; partition: number; records: ConsumedRecord[] }[] = [];
  for (const input of inputs) {
    const offset = offsets.get(input.topic) ?? 0;
    offsets.set(input.topic, offset + 1);
    const record: ConsumedRecord = { topic: input.topic, partition: 0, offset: BigInt(offset), key: null, value: Buffer.from(JSON.stringify(input.value)), timestampMs: 0 };
    const last = batches.at(-1);
    if (last !== undefined && last.topic === input.topic && last.records.length < size) last.records.push(record);
    else batches.push({ topic: input.topic, partition: 0, records: [record] });
  }
  return batches;
}

interface Run {
  readonly redis: MemoryRedis;
  readonly published: NormalizedOutputs[];
}

/** Feeds every batch, prepare then commit, restarting the process (empty caches, state from "Redis") every `restartEvery` batches. */
async function run(inputs: readonly CdcInput[], makeLookups: ((redis: MemoryRedis) => StateLookups) | undefined, restartEvery = Infinity): Promise<Run> {
  const redis = new MemoryRedis();
  const published: NormalizedOutputs[] = [];
  let process = startProcess(redis, published, makeLookups?.(redis));
  for (const [index, batch] of batchesOf(inputs, 6).entries()) {
    if (index > 0 && index % restartEvery === 0) process = startProcess(redis, published, makeLookups?.(redis));
    const prepared = await process.handler.prepare(batch);
    await prepared.commit();
  }
  return { redis, published };
}

const outputsOf = (published: readonly NormalizedOutputs[]) => ({
  interactions: published.flatMap((outputs) => outputs.interactions),
  items: published.flatMap((outputs) => outputs.items),
  users: published.flatMap((outputs) => outputs.users),
});

const stream = recordStream({ seed: 42, records: 1_500, actions: 60, visitors: 40, orders: 25, datasets: 30, users: 12 });

describe('bounded caches of the lazily loaded stores', () => {
  it('a cache of 2 entries per store gives the outputs and the stored state of the whole state in memory, across restarts', async () => {
    const reference = await run(stream, undefined);
    const metrics = countingMetrics();
    const bounded = await run(stream, (redis) => createStateLookups({ read: redis.read, capacity: 2, metrics }), 9);

    expect(outputsOf(bounded.published)).toEqual(outputsOf(reference.published));
    expect(bounded.redis.dump()).toEqual(reference.redis.dump());
    // The stream is not trivial: it emits, stitches and parks, and its keys far exceed the capacity.
    expect(outputsOf(reference.published).interactions.length).toBeGreaterThan(300);
    expect(outputsOf(reference.published).interactions.some((interaction) => interaction.event_id.startsWith('stitch:'))).toBe(true);
    for (const store of lazyStoreNames) expect(Object.keys(reference.redis.dump()[storeKey(version, store)] ?? {}).length).toBeGreaterThan(10);
    // Evicted keys were read from "Redis" again, and the scan foresaw every read.
    expect(Math.max(...bounded.redis.reads.values())).toBeGreaterThan(1);
    expect(metrics.counts['evictions']).toBeGreaterThan(0);
    expect(metrics.counts['reprepared']).toBe(0);
  });

  it('keeps no more than the capacity per store between batches', async () => {
    const metrics = countingMetrics();
    const lookups: StateLookups[] = [];
    await run(stream, (redis) => {
      const created = createStateLookups({ read: redis.read, capacity: 5, metrics });
      lookups.push(created);
      return created;
    });
    for (const store of lazyStoreNames) {
      expect(metrics.largest.get(store)).toBe(5);
      expect(lookups[0]?.stores[store].size).toBeLessThanOrEqual(5);
    }
    expect(metrics.counts['hits']).toBeGreaterThan(0);
  });

  it('reads a key the scan did not foresee and prepares the batch again, with the same result', async () => {
    const reference = await run(stream, undefined);
    const metrics = countingMetrics();
    const blind = await run(stream, (redis) => {
      const lookups = createStateLookups({ read: redis.read, capacity: 3, metrics });
      // A scan that foresees nothing: every read goes through the unresolved-key path.
      return { ...lookups, prefetch: () => Promise.resolve() };
    });
    expect(outputsOf(blind.published)).toEqual(outputsOf(reference.published));
    expect(blind.redis.dump()).toEqual(reference.redis.dump());
    expect(metrics.counts['reprepared']).toBeGreaterThan(0);
  });

  it('drops the cache after an apply whose reply was lost, so what it wrote is read back from Redis', async () => {
    const redis = new MemoryRedis();
    let loseReply = true;
    // The apply lands in Redis but the reply is lost: the loop sees a failure and prepares the batch again.
    const store: StateStore = {
      storedOffset: (key, field) => redis.store.storedOffset(key, field),
      applyBatch: async (input) => {
        const result = await redis.store.applyBatch(input);
        if (!loseReply) return result;
        loseReply = false;
        throw new AppError(ErrorCode.DependencyUnavailable, 'connection reset', { retriable: true });
      },
    };
    const published: NormalizedOutputs[] = [];
    const lookups = createStateLookups({ read: redis.read, capacity: 10 });
    const process = startProcess(redis, published, lookups, store);
    const cdc = cdcFixture();
    const [actionBatch] = batchesOf([cdc.create(SourceTable.MatomoAction, actionRow(Actions.datasetPage42))], 1);
    const [pageviewBatch] = batchesOf([cdc.create(SourceTable.MatomoLinkVisitAction, Rows.pageview(9, Actions.datasetPage42.id))], 1);
    if (actionBatch === undefined || pageviewBatch === undefined) throw new Error('batches expected');

    const first = await process.handler.prepare(actionBatch);
    await expect(first.commit()).rejects.toMatchObject({ retriable: true });
    await (await process.handler.prepare(actionBatch)).commit(); // the stored offset skips it now
    await (await process.handler.prepare(pageviewBatch)).commit();

    expect(published.flatMap((outputs) => outputs.interactions.map((interaction) => interaction.event_id))).toEqual(['matomo:lva:9']);
  });
});
