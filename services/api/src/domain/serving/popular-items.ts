import { GLOBAL_SCOPE, type TrendingScope, type TrendingWindow } from '@streamrec/trending';
import type { ItemId, ScoredItem } from '@streamrec/streams-common';
import { Channel } from '../recall/channels.js';
import type { PopularSnapshot } from '../recall/popular-snapshot.js';
import { DegradedReason, popularFallback, relativeToBest } from './degradation.js';
import type { CatalogueLookup } from './shaping.js';
import { isTimeout, Stage, type StageRunner } from './stages.js';

export interface PopularRequest {
  readonly window: '1h' | '24h' | '7d' | 'all';
  readonly industry: string | undefined;
  readonly tag: string | undefined;
  readonly limit: number;
}

export interface PopularItems {
  readonly items: readonly { readonly item: ItemId; readonly score: number; readonly channels: readonly Channel[] }[];
  readonly degraded: readonly DegradedReason[];
}

export interface HotListQuery {
  readonly scope: TrendingScope;
  readonly window: TrendingWindow;
  readonly limit: number;
  readonly isAvailable: (item: ItemId) => boolean;
}

export interface PopularItemsDependencies {
  readonly snapshot: () => PopularSnapshot;
  readonly catalogue: CatalogueLookup;
  /** The trending processor's hot list for a scope and window (one Redis read). */
  readonly readHotList: (query: HotListQuery) => Promise<readonly ScoredItem[]>;
  readonly runStage: StageRunner;
}

const windowOf = { '1h': 'hour', '24h': 'day', '7d': 'week' } as const;

/**
 * `/v1/popular`: the hot list of a window (read from Redis), or the all-time popular list (in memory).
 * Redis slow or down → the popular list of the same scope, with the reasons (degradation chain step 5).
 * Scores are relative to the best item of the list (`relativeToBest`), never the raw decayed sums.
 */
export async function popularItems(request: PopularRequest, deps: PopularItemsDependencies): Promise<PopularItems> {
  const fromSnapshot = (): ScoredItem[] => relativeToBest(popularFallback(deps.snapshot(), request, deps.catalogue)).slice(0, request.limit);
  if (request.window === 'all') return { items: fromSnapshot().map(({ item, score }) => ({ item, score, channels: [Channel.Popular] })), degraded: [] };
  const { tag, industry } = request;
  const isAvailable = (item: ItemId): boolean => {
    const info = deps.catalogue(item);
    return info?.available === true && (tag === undefined || industry === undefined || info.tags.includes(tag));
  };
  const scope: TrendingScope = industry !== undefined ? { kind: 'industry', name: industry } : tag !== undefined ? { kind: 'tag', name: tag } : GLOBAL_SCOPE;
  try {
    const items = await deps.runStage(Stage.Recall, () => deps.readHotList({ scope, window: windowOf[request.window as keyof typeof windowOf], limit: request.limit, isAvailable }));
    return { items: relativeToBest(items).map(({ item, score }) => ({ item, score, channels: [Channel.Trending] })), degraded: [] };
  } catch (error) {
    const degraded = [isTimeout(error) ? DegradedReason.RedisTimeout : DegradedReason.RedisUnavailable, DegradedReason.FallbackPopular];
    return { items: fromSnapshot().map(({ item, score }) => ({ item, score, channels: [Channel.Popular] })), degraded };
  }
}
