import { AppError, ErrorCode } from '@streamrec/foundation';
import { itemIdOf, type ItemId, type StreamContext } from '@streamrec/streams-common';
import { hotListKey, scopeId, type TrendingScope } from './trending-keys.js';
import { bucketOf, type TrendingParams, type TrendingWindow } from './trending-params.js';

/**
 * Read side for services/api: which zsets make up a hot list at `nowMs` (every item partition × the
 * window's buckets ending with the bucket of now), and the client-side merge of their replies
 * (`ZREVRANGE key 0 depth-1 WITHSCORES`, depth ≤ bucketKeepTop). An item lives in one partition, so
 * partitions just concatenate; its buckets add up. A bucket trimmed to its top members can under-count
 * an item that was never near the top of any bucket: a hot list does not need those.
 */
export interface HotItem {
  readonly item: ItemId;
  readonly score: number;
}

export function hotListKeys(context: StreamContext, scope: TrendingScope, window: TrendingWindow, nowMs: number, params: Pick<TrendingParams, 'windows'>): string[] {
  const spec = params.windows[window];
  const newest = bucketOf(nowMs, spec);
  const keys: string[] = [];
  for (let partition = 0; partition < context.itemPartitions; partition += 1) {
    for (let bucket = newest - spec.buckets + 1; bucket <= newest; bucket += 1) keys.push(hotListKey(context, partition, scopeId(scope), window, bucket));
  }
  return keys;
}

export function mergeHotList(replies: readonly (readonly string[])[], limit: number, isAvailable: (item: ItemId) => boolean): HotItem[] {
  const scores = new Map<ItemId, number>();
  for (const reply of replies) {
    if (reply.length % 2 !== 0) throw new AppError(ErrorCode.InvalidArgument, 'WITHSCORES reply must have an even length');
    for (let index = 0; index < reply.length; index += 2) {
      const item = itemIdOf(reply[index] ?? '');
      scores.set(item, (scores.get(item) ?? 0) + Number(reply[index + 1]));
    }
  }
  return [...scores]
    .filter(([item]) => isAvailable(item))
    .sort(([ia, sa], [ib, sb]) => (sb !== sa ? sb - sa : ia < ib ? -1 : ia > ib ? 1 : 0))
    .slice(0, Math.max(0, limit))
    .map(([item, score]) => ({ item, score }));
}
