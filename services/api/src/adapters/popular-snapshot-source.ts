import type { Redis } from 'ioredis';
import type { Logger } from '@streamrec/foundation/process';
import { itemIdOf, type ItemId, type ItemInfo, type StreamContext } from '@streamrec/streams-common';
import { itemFeatureKeys, popularityKey } from '@streamrec/features';
import { readTrending } from '@streamrec/trending/reader';
import { GLOBAL_SCOPE } from '@streamrec/trending';
import type { TrendingParams } from '@streamrec/trending';
import type { ScoredItem } from '../domain/serving/ports.js';
import { buildPopularSnapshot, emptySnapshot, type PopularSnapshot } from '../domain/recall/popular-snapshot.js';
import { readOptionalFile, writeFileAtomically } from './atomic-file.js';
import { asStrings, execPipeline, numericHash } from './redis-pipeline.js';

export interface PopularSnapshotSourceOptions {
  readonly context: () => StreamContext;
  readonly catalogue: (item: ItemId) => ItemInfo | undefined;
  readonly priceBucketOf: (price: number | null) => string | undefined;
  readonly trendingParams: Pick<TrendingParams, 'windows' | 'bucketKeepTop'>;
  readonly clock: () => number;
  /** Items read per popularity partition zset. */
  readonly depth: number;
  readonly listLimit: number;
  readonly refreshMs: number;
  /** 'counts': score items by their plain event counts (all actions) instead of decayed popularity. */
  readonly popularity: 'decayed' | 'counts';
  /** Where the last good snapshot is kept, so a restart while Redis is down still has lists. */
  readonly file: string;
  readonly onRefresh?: (result: 'ok' | 'failed') => void;
}

export interface PopularSnapshotSource {
  current(): PopularSnapshot;
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps the popular/trending lists in memory, rebuilt every `refreshMs` from Redis, saved to disk
 * after each rebuild and loaded from disk at start. A failed rebuild keeps the last good lists.
 */
export async function startPopularSnapshotSource(redis: Redis, options: PopularSnapshotSourceOptions, log: Logger): Promise<PopularSnapshotSource> {
  let snapshot: PopularSnapshot = emptySnapshot;
  const saved = await readOptionalFile(options.file).catch(() => undefined);
  if (saved !== undefined) {
    try {
      snapshot = JSON.parse(saved) as PopularSnapshot;
      log.info({ builtAtMs: snapshot.builtAtMs, popular: snapshot.popular.length }, 'popular lists loaded from disk');
    } catch (error) {
      log.warn({ err: error, file: options.file }, 'saved popular lists unreadable; starting empty');
    }
  }

  const refresh = async (): Promise<void> => {
    const context = options.context();
    const pipeline = redis.pipeline();
    for (let partition = 0; partition < context.itemPartitions; partition += 1) pipeline.zrevrange(popularityKey(context, partition), 0, options.depth - 1, 'WITHSCORES');
    const replies = await execPipeline(pipeline, 'reading popularity');
    const popularity: ScoredItem[] = [];
    for (const reply of replies) {
      const flat = asStrings(reply);
      for (let index = 0; index + 1 < flat.length; index += 2) popularity.push({ item: itemIdOf(flat[index] ?? ''), score: Number(flat[index + 1]) });
    }
    if (options.popularity === 'counts') await replaceWithCounts(redis, context, popularity);
    const nowMs = options.clock();
    const trending = await readTrending(redis, { context, params: options.trendingParams }, { scope: GLOBAL_SCOPE, window: 'day', limit: options.listLimit, nowMs });
    snapshot = buildPopularSnapshot({ nowMs, popularity, trending, catalogue: options.catalogue, priceBucketOf: options.priceBucketOf, listLimit: options.listLimit });
    await writeFileAtomically(options.file, JSON.stringify(snapshot));
  };

  let running = false;
  const tick = async (): Promise<void> => {
    // A rebuild slower than the period (a large catalogue in counts mode, a loaded machine) is not overlapped.
    if (running) return;
    running = true;
    try {
      await refresh();
      options.onRefresh?.('ok');
    } catch (error) {
      options.onRefresh?.('failed');
      log.warn({ err: error }, 'popular lists refresh failed; keeping the last good lists');
    } finally {
      running = false;
    }
  };
  await tick();
  const timer = setInterval(() => void tick(), options.refreshMs);
  timer.unref();
  return {
    current: () => snapshot,
    refresh,
    stop: () => {
      clearInterval(timer);
      return Promise.resolve();
    },
  };
}

/** Plain counts: the sum of each item's per-action counts (`item:<i>:counts`), in place of its decayed score. */
async function replaceWithCounts(redis: Redis, context: StreamContext, popularity: ScoredItem[]): Promise<void> {
  const pipeline = redis.pipeline();
  for (const { item } of popularity) pipeline.hgetall(itemFeatureKeys(context, item).counts);
  const replies = await execPipeline(pipeline, 'reading item counts');
  popularity.forEach((entry, index) => {
    const total = Object.values(numericHash(replies[index])).reduce((sum, count) => sum + count, 0);
    popularity[index] = { item: entry.item, score: total };
  });
}
