import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { ItemId, StreamContext } from '@streamrec/streams-common';
import { hotListKeys, mergeHotList, type HotItem } from '../domain/read-side.js';
import type { TrendingScope } from '../domain/trending-keys.js';
import type { TrendingParams, TrendingWindow } from '../domain/trending-params.js';

export interface TrendingQuery {
  readonly scope: TrendingScope;
  readonly window: TrendingWindow;
  readonly limit: number;
  /** Reader's clock (ms): the window ends with the bucket of `nowMs`. */
  readonly nowMs: number;
  /** The API's catalogue check; defaults to every item available. */
  readonly isAvailable?: (item: ItemId) => boolean;
  /**
   * Members read per bucket zset (≤ bucketKeepTop). Summing truncated buckets can under-count an item
   * that is never near the top of any one bucket; the default reads 4 × limit (at least 100).
   */
  readonly depth?: number;
}

export interface TrendingReaderOptions {
  /**
   * Its `version` is the state version to read. The API resolves it per request with
   * `readActiveVersion(redis)` (@streamrec/shared), so a replay's `switch` of `sr:active-version`
   * moves readers to the new version at once (docs/replay.md).
   */
  readonly context: StreamContext;
  readonly params: Pick<TrendingParams, 'windows' | 'bucketKeepTop'>;
}

/**
 * Top N of a hot list for services/api: `ZREVRANGE … WITHSCORES` of every partition's buckets of the
 * window in one pipeline, merged client-side by the domain (README: Key layout).
 */
export async function readTrending(redis: Redis, options: TrendingReaderOptions, query: TrendingQuery): Promise<HotItem[]> {
  const keys = hotListKeys(options.context, query.scope, query.window, query.nowMs, options.params);
  const depth = Math.min(options.params.bucketKeepTop, Math.max(1, query.depth ?? Math.max(100, 4 * query.limit)));
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.zrevrange(key, 0, depth - 1, 'WITHSCORES');
  let replies: [Error | null, unknown][] | null;
  try {
    replies = await pipeline.exec();
  } catch (cause) {
    throw new AppError(ErrorCode.DependencyUnavailable, 'reading trending lists failed', { retriable: true, cause });
  }
  const failed = replies?.find(([error]) => error !== null)?.[0];
  if (replies === null || failed !== undefined) {
    throw new AppError(ErrorCode.DependencyUnavailable, `reading trending lists failed: ${failed?.message ?? 'no reply'}`, { retriable: true, cause: failed });
  }
  return mergeHotList(
    replies.map(([, reply]) => reply as string[]),
    query.limit,
    query.isAvailable ?? (() => true),
  );
}
