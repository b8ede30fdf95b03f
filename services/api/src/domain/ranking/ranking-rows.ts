import type { ItemId, ItemInfo } from '@streamrec/streams-common';
import { decayedPopularity, smoothedCtr, type DecayParams } from '@streamrec/features';
import { CHANNELS, Channel } from '../recall/channels.js';
import { channelScore, type FusedCandidate } from '../fusion/fusion.js';
import type { ItemStatsLookup } from './item-stats.js';
import { RANKING_FEATURES, type RankingFeature } from '@streamrec/ranking';
import { interactionCount, type Affinity, type UserProfile } from '../serving/user-profile.js';

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
  /** user_views_log … user_hours_since_last_event, in RANKING_FEATURES order. */
  readonly values: Float64Array;
  readonly tagShare: ReadonlyMap<string, number>;
  readonly industryShare: ReadonlyMap<string, number>;
  readonly priceShare: ReadonlyMap<string, number>;
  readonly usualPrice: number | null;
  /** Raw forward-decayed popularity × this = popularity now (one exp per request, not per candidate). */
  readonly popularityFactor: number;
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
    values: Float64Array.of(
      count('view'),
      count('click'),
      count('download'),
      count('favorite'),
      count('cart'),
      count('purchase'),
      profile.recent.length,
      interactionCount(profile) === 0 ? MAX_HOURS : hoursSince(profile.lastEventMs, nowMs),
    ),
    tagShare: shares(profile.tagAffinity),
    industryShare: shares(profile.industryAffinity),
    priceShare: shares(profile.priceAffinity),
    usualPrice: prices.length === 0 ? null : prices.reduce((sum, price) => sum + price, 0) / prices.length,
    popularityFactor: decayedPopularity(1, nowMs, context.decay),
  };
}

const FEATURE_INDEX: ReadonlyMap<string, number> = new Map(RANKING_FEATURES.map((name, index) => [name, index]));
/** Column of each feature in RANKING_FEATURES, as literals (a test keeps them in step with the list). */
export const F = {
  ch_transition: 0,
  ch_cooccurrence: 1,
  ch_tag: 2,
  ch_industry: 3,
  ch_price_bucket: 4,
  ch_similar_users: 5,
  ch_content: 6,
  ch_trending: 7,
  ch_popular: 8,
  fused_score: 9,
  channel_count: 10,
  user_views_log: 11,
  user_clicks_log: 12,
  user_downloads_log: 13,
  user_favorites_log: 14,
  user_carts_log: 15,
  user_purchases_log: 16,
  user_recent_count: 17,
  user_hours_since_last_event: 18,
  item_popularity_log: 19,
  item_views_log: 20,
  item_clicks_log: 21,
  item_downloads_log: 22,
  item_purchases_log: 23,
  item_distinct_users_log: 24,
  item_ctr: 25,
  item_hours_since_last_event: 26,
  item_price_log: 27,
  cross_tag_affinity: 28,
  cross_industry_affinity: 29,
  cross_price_bucket_affinity: 30,
  cross_price_ratio: 31,
  cross_cooccurrence_max: 32,
  cross_transition_max: 33,
} as const satisfies Record<RankingFeature, number>;
/** ch_* columns, in CHANNELS order (channelScores rows are indexed the same way). */
const CHANNEL_FEATURES: readonly number[] = CHANNELS.map((channel) => FEATURE_INDEX.get(`ch_${channel}`) ?? -1);

/**
 * Writes every ranking feature of one candidate into `out` (indexed as RANKING_FEATURES). Runs for each
 * of a request's ~300 candidates, so it allocates nothing.
 */
function fillCandidateFeatures(out: Float64Array, candidate: FusedCandidate, context: RankingContext, user: UserSide): void {
  const info = context.catalogue(candidate.item);
  const stats = context.itemStats(candidate.item);
  const scores = candidate.channelScores;
  CHANNEL_FEATURES.forEach((column, index) => {
    out[column] = scores[index] ?? 0;
  });
  out[F.fused_score] = candidate.fused;
  out[F.channel_count] = candidate.channels.length;
  out.set(user.values, F.user_views_log);
  const counts = stats.counts;
  out[F.item_popularity_log] = Math.log1p(Math.max(0, stats.popularityRaw * user.popularityFactor));
  out[F.item_views_log] = Math.log1p(counts['view'] ?? 0);
  out[F.item_clicks_log] = Math.log1p(counts['click'] ?? 0);
  out[F.item_downloads_log] = Math.log1p(counts['download'] ?? 0);
  out[F.item_purchases_log] = Math.log1p(counts['purchase'] ?? 0);
  out[F.item_distinct_users_log] = Math.log1p(stats.distinctUsers);
  out[F.item_ctr] = smoothedCtr(stats.ctrClicks, stats.ctrExposures);
  out[F.item_hours_since_last_event] = hoursSince(stats.lastEventMs, context.nowMs);
  const price = info?.price ?? null;
  out[F.item_price_log] = Math.log1p(Math.max(0, price ?? 0));
  // The catalogue keeps tags de-duplicated, so each tag's share counts once.
  let tagAffinity = 0;
  if (info !== undefined) for (const tag of info.tags) tagAffinity += user.tagShare.get(tag) ?? 0;
  out[F.cross_tag_affinity] = tagAffinity;
  out[F.cross_industry_affinity] = info?.industry == null ? 0 : (user.industryShare.get(info.industry) ?? 0);
  const bucket = user.priceShare.size === 0 ? undefined : context.priceBucketOf(price);
  out[F.cross_price_bucket_affinity] = bucket === undefined ? 0 : (user.priceShare.get(bucket) ?? 0);
  out[F.cross_price_ratio] = price === null || user.usualPrice === null ? 0 : Math.log((price + 1) / (user.usualPrice + 1));
  out[F.cross_cooccurrence_max] = channelScore(candidate, Channel.Cooccurrence);
  out[F.cross_transition_max] = channelScore(candidate, Channel.Transition);
}

/** Every ranking feature of one candidate, by name (tests and diagnostics; ranking uses `rankingRows`). */
export function candidateFeatures(candidate: FusedCandidate, context: RankingContext): Record<RankingFeature, number> {
  const values = new Float64Array(RANKING_FEATURES.length);
  fillCandidateFeatures(values, candidate, context, userSide(context));
  return Object.fromEntries(RANKING_FEATURES.map((name, index) => [name, values[index] ?? 0])) as Record<RankingFeature, number>;
}

/** Row-major feature matrix in the model's column order (unknown names are 0; the registry refuses such models). */
export function rankingRows(candidates: readonly FusedCandidate[], featureNames: readonly string[], context: RankingContext): Float32Array {
  const user = userSide(context);
  const columns = featureNames.map((name) => FEATURE_INDEX.get(name) ?? -1);
  const width = columns.length;
  const rows = new Float32Array(candidates.length * width);
  const scratch = new Float64Array(RANKING_FEATURES.length);
  for (let row = 0; row < candidates.length; row += 1) {
    fillCandidateFeatures(scratch, candidates[row] as FusedCandidate, context, user);
    for (let column = 0; column < width; column += 1) {
      const source = columns[column] ?? -1;
      const value = source < 0 ? 0 : (scratch[source] ?? 0);
      rows[row * width + column] = Number.isFinite(value) ? value : 0;
    }
  }
  return rows;
}

/** The names every exposure logs when no model ranked the answer. */
export const ALL_FEATURE_NAMES: readonly string[] = RANKING_FEATURES;
