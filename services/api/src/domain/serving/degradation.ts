import type { ItemId, UserId } from '@streamrec/streams-common';
import { Channel, type Channel as ChannelName } from '../recall/channels.js';
import type { PopularSnapshot } from '../recall/popular-snapshot.js';
import type { ScoredItem } from './ports.js';
import { isEligible, type CatalogueLookup } from './shaping.js';

/**
 * The degradation chain: the API never answers 5xx because a dependency is slow or down. Where each
 * step is decided (every reason is counted in `recommendation_degraded_total{reason}` and logged on the
 * exposure):
 *
 * 1. the user's profile cannot be read in its Redis budget (serve-recommendations.ts) → the user's last
 *    good answer (`fallback_user_cache`), else the popular list, else the day's hot list
 *    (`fallback_popular`): `fallbackAnswer` below;
 * 2. a recall read (neighbour lists, similar users) fails (recommend.ts) → fuse what arrived
 *    (`recall_partial`); the catalogue still loading → serve what is known (`catalogue_loading`);
 * 3. item features cannot be read (ranking/rank.ts) → fused recall order (`features_unavailable`);
 * 4. no model, an open breaker, a failing or slow model (ranking/rank.ts, ranking/circuit-breaker.ts) →
 *    fused recall order (`ranker_*`);
 * 5. `/v1/popular` cannot read the hot lists → the popular lists (`popularFallback` below);
 *    `/v1/items/:id/similar` cannot read neighbour lists → content alone (recall/similar-items.ts).
 */
export const DegradedReason = {
  /** The user's state could not be read in the Redis budget: answered from the fallback lists. */
  RedisTimeout: 'redis_timeout',
  RedisUnavailable: 'redis_unavailable',
  /** A recall read (neighbour lists, similar users) ran out of budget or failed: fused what arrived. */
  RecallPartial: 'recall_partial',
  /** Item features could not be read: served in fused recall order. */
  FeaturesUnavailable: 'features_unavailable',
  /** No model is published for the variant's model name. */
  RankerUnavailable: 'ranker_unavailable',
  RankerBreakerOpen: 'ranker_breaker_open',
  RankerFailed: 'ranker_failed',
  RankerTimeout: 'ranker_timeout',
  /** The catalogue is still loading at start-up: availability unknown, served what is known. */
  CatalogueLoading: 'catalogue_loading',
  /** Answered with this user's last good answer (kept in memory and on disk). */
  FallbackUserCache: 'fallback_user_cache',
  /** Answered with the popular list (kept in memory and on disk). */
  FallbackPopular: 'fallback_popular',
} as const;
export type DegradedReason = (typeof DegradedReason)[keyof typeof DegradedReason];

export const DEGRADED_REASONS: readonly DegradedReason[] = Object.freeze(Object.values(DegradedReason));

/** An answer built without part of the user's state is not worth serving again during an outage. */
const unfitForCache: ReadonlySet<DegradedReason> = new Set([DegradedReason.RecallPartial, DegradedReason.CatalogueLoading]);

export function isFitForCache(degraded: readonly DegradedReason[]): boolean {
  return !degraded.some((reason) => unfitForCache.has(reason));
}

export interface FallbackItem {
  readonly item: ItemId;
  readonly score: number;
  readonly channels: readonly ChannelName[];
  readonly features: ArrayLike<number>;
}

export interface FallbackAnswer {
  readonly items: readonly FallbackItem[];
  readonly unshown: readonly FallbackItem[];
  readonly model: null;
  readonly featureNames: readonly string[];
  readonly degraded: readonly DegradedReason[];
  readonly newestEventMs: null;
  readonly coldStart: false;
  readonly candidates: 0;
}

export interface FallbackDependencies {
  readonly catalogue: CatalogueLookup;
  readonly catalogueReady: () => boolean;
  readonly snapshot: () => PopularSnapshot;
  readonly lastAnswers: { get(user: UserId): readonly { readonly item: ItemId; readonly score: number; readonly channels: readonly ChannelName[] }[] | undefined };
}

/** Step 1 of the chain: the user's last good answer, else the popular list, else the day's hot list. */
export function fallbackAnswer(
  request: { readonly user: UserId; readonly exclude: ReadonlySet<ItemId>; readonly limit: number },
  deps: FallbackDependencies,
  reason: DegradedReason,
): FallbackAnswer {
  const eligible = (item: ItemId): boolean => isEligible(item, { exclude: request.exclude, purchased: new Set(), catalogue: deps.catalogue, allowUnknown: !deps.catalogueReady() });
  const cached = (deps.lastAnswers.get(request.user) ?? []).filter(({ item }) => eligible(item)).slice(0, request.limit);
  const common = { unshown: [], model: null, featureNames: [], newestEventMs: null, coldStart: false, candidates: 0 } as const;
  if (cached.length > 0) {
    return { ...common, items: cached.map((entry) => ({ ...entry, features: [] })), degraded: [reason, DegradedReason.FallbackUserCache] };
  }
  const snapshot = deps.snapshot();
  const popular = fromList(snapshot.popular, Channel.Popular, eligible, request.limit);
  const items = popular.length > 0 ? popular : fromList(snapshot.trending, Channel.Trending, eligible, request.limit);
  return { ...common, items, degraded: [reason, DegradedReason.FallbackPopular] };
}

function fromList(list: readonly ScoredItem[], channel: ChannelName, eligible: (item: ItemId) => boolean, limit: number): FallbackItem[] {
  const items: FallbackItem[] = [];
  const best = bestScore(list);
  for (const { item, score } of list) {
    if (items.length >= limit) break;
    if (eligible(item)) items.push({ item, score: relativeTo(best, score), channels: [channel], features: [] });
  }
  return items;
}

/**
 * List scores as a client can read them: a share of the list's best score, in [0, 1] (1 = the most popular
 * item of the list). Decayed popularity and hot-list scores are forward-decayed sums that grow with time
 * (values like 1e36 after a few months), meaningless to a client and not comparable from one day to the next.
 */
export function relativeToBest<T extends { readonly score: number }>(list: readonly T[]): T[] {
  const best = bestScore(list);
  return list.map((entry) => ({ ...entry, score: relativeTo(best, entry.score) }));
}

function bestScore(list: readonly { readonly score: number }[]): number {
  let best = 0;
  for (const { score } of list) if (score > best) best = score;
  return best;
}

const relativeTo = (best: number, score: number): number => (best > 0 && Number.isFinite(best) && score > 0 ? score / best : 0);

/** The popular list `/v1/popular` falls back to (and serves for `window=all`): global, or within a tag and/or an industry. */
export function popularFallback(snapshot: PopularSnapshot, scope: { readonly industry: string | undefined; readonly tag: string | undefined }, catalogue: CatalogueLookup): ScoredItem[] {
  const base = scope.industry !== undefined ? (snapshot.byIndustry[scope.industry] ?? []) : scope.tag !== undefined ? (snapshot.byTag[scope.tag] ?? []) : snapshot.popular;
  const tag = scope.tag;
  return tag === undefined || scope.industry === undefined ? [...base] : base.filter(({ item }) => catalogue(item)?.tags.includes(tag) ?? false);
}
