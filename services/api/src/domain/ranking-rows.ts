import type { ItemId, ItemInfo } from '@streamrec/streams-common';
import { decayedPopularity, smoothedCtr, type DecayParams } from '../../../../streams/features/src/domain/read-side.js';
import { Channel } from './channels.js';
import type { FusedCandidate } from './fusion.js';
import type { ItemStatsLookup } from './item-stats.js';
import { RANKING_FEATURES, type RankingFeature } from './ranking-features.js';
import { interactionCount, type Affinity, type UserProfile } from './user-profile.js';

const HOUR_MS = 3_600_000;
/** Hours-since features saturate here (an item idle for a year is as idle as one idle for ten). */
const MAX_HOURS = 24 * 365;

export interface RankingContext {
  readonly profile: UserProfile;
  readonly nowMs: number;
  readonly catalogue: (item: ItemId) => ItemInfo | undefined;
  readonly itemStats: ItemStatsLookup;
  readonly decay: DecayParams;
  readonly priceBucketOf: (price: number | null) => string | undefined;
}

/** The user side, computed once per request. */
interface UserSide {
  readonly values: Readonly<Partial<Record<RankingFeature, number>>>;
  readonly tagShare: ReadonlyMap<string, number>;
  readonly industryShare: ReadonlyMap<string, number>;
  readonly priceShare: ReadonlyMap<string, number>;
  readonly usualPrice: number | null;
}

function shares(affinities: readonly Affinity[]): Map<string, number> {
  const total = affinities.reduce((sum, { value }) => sum + Math.max(0, value), 0);
  return new Map(affinities.map(({ name, value }) => [name, total > 0 ? Math.max(0, value) / total : 0]));
}

function hoursSince(timeMs: number | null, nowMs: number): number {
  if (timeMs === null) return MAX_HOURS;
  return Math.min(MAX_HOURS, Math.max(0, (nowMs - timeMs) / HOUR_MS));
}

function userSide(context: RankingContext): UserSide {
  const { profile, nowMs } = context;
  const count = (action: string): number => Math.log1p(profile.counts[action] ?? 0);
  const prices = profile.recent.map(({ item }) => context.catalogue(item)?.price ?? null).filter((price): price is number => price !== null && price >= 0);
  return {
    values: {
      user_views_log: count('view'),
      user_clicks_log: count('click'),
      user_downloads_log: count('download'),
      user_favorites_log: count('favorite'),
      user_carts_log: count('cart'),
      user_purchases_log: count('purchase'),
      user_recent_count: profile.recent.length,
      user_hours_since_last_event: interactionCount(profile) === 0 ? MAX_HOURS : hoursSince(profile.lastEventMs, nowMs),
    },
    tagShare: shares(profile.tagAffinity),
    industryShare: shares(profile.industryAffinity),
    priceShare: shares(profile.priceAffinity),
    usualPrice: prices.length === 0 ? null : prices.reduce((sum, price) => sum + price, 0) / prices.length,
  };
}

/** Every ranking feature of one candidate, by name. */
export function candidateFeatures(candidate: FusedCandidate, context: RankingContext, user: UserSide = userSide(context)): Record<RankingFeature, number> {
  const info = context.catalogue(candidate.item);
  const stats = context.itemStats(candidate.item);
  const channel = (name: Channel): number => candidate.channelScores[name] ?? 0;
  const count = (action: string): number => Math.log1p(stats.counts[action] ?? 0);
  const tags = info === undefined ? [] : [...new Set(info.tags)];
  const price = info?.price ?? null;
  const bucket = context.priceBucketOf(price);
  const values: Record<RankingFeature, number> = {
    ch_transition: channel(Channel.Transition),
    ch_cooccurrence: channel(Channel.Cooccurrence),
    ch_tag: channel(Channel.Tag),
    ch_industry: channel(Channel.Industry),
    ch_price_bucket: channel(Channel.PriceBucket),
    ch_similar_users: channel(Channel.SimilarUsers),
    ch_content: channel(Channel.Content),
    ch_trending: channel(Channel.Trending),
    ch_popular: channel(Channel.Popular),
    fused_score: candidate.fused,
    channel_count: candidate.channels.length,
    user_views_log: 0,
    user_clicks_log: 0,
    user_downloads_log: 0,
    user_favorites_log: 0,
    user_carts_log: 0,
    user_purchases_log: 0,
    user_recent_count: 0,
    user_hours_since_last_event: 0,
    ...user.values,
    item_popularity_log: Math.log1p(Math.max(0, decayedPopularity(stats.popularityRaw, context.nowMs, context.decay))),
    item_views_log: count('view'),
    item_clicks_log: count('click'),
    item_downloads_log: count('download'),
    item_purchases_log: count('purchase'),
    item_distinct_users_log: Math.log1p(stats.distinctUsers),
    item_ctr: smoothedCtr(stats.ctrClicks, stats.ctrExposures),
    item_hours_since_last_event: hoursSince(stats.lastEventMs, context.nowMs),
    item_price_log: Math.log1p(Math.max(0, price ?? 0)),
    cross_tag_affinity: tags.reduce((sum, tag) => sum + (user.tagShare.get(tag) ?? 0), 0),
    cross_industry_affinity: info?.industry == null ? 0 : (user.industryShare.get(info.industry) ?? 0),
    cross_price_bucket_affinity: bucket === undefined ? 0 : (user.priceShare.get(bucket) ?? 0),
    cross_price_ratio: price === null || user.usualPrice === null ? 0 : Math.log((price + 1) / (user.usualPrice + 1)),
    cross_cooccurrence_max: channel(Channel.Cooccurrence),
    cross_transition_max: channel(Channel.Transition),
  };
  return values;
}

/** Row-major feature matrix in the model's column order, plus each row as logged on the exposure. */
export function rankingRows(candidates: readonly FusedCandidate[], featureNames: readonly string[], context: RankingContext): Float32Array {
  const user = userSide(context);
  const width = featureNames.length;
  const rows = new Float32Array(candidates.length * width);
  candidates.forEach((candidate, row) => {
    const values = candidateFeatures(candidate, context, user);
    featureNames.forEach((name, column) => {
      const value = (values as Record<string, number>)[name] ?? 0;
      rows[row * width + column] = Number.isFinite(value) ? value : 0;
    });
  });
  return rows;
}

/** The names every exposure logs when no model ranked the answer. */
export const ALL_FEATURE_NAMES: readonly string[] = RANKING_FEATURES;
