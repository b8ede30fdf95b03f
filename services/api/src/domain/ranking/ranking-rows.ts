import { RANKING_FEATURES, type RankingFeature } from '@streamrec/ranking';
import { CHANNELS, Channel } from '../recall/channels.js';
import type { FusedCandidate } from '../fusion/fusion.js';
import { FEATURE, FEATURE_COUNT, OTHER_SCENE, SCENE_CODES, rankScore, type RankingContext } from './feature-support.js';
import { ItemParts, fillItemFeatures, itemPartOf } from './item-features.js';
import { USER_COLUMNS, userSide, type UserSide } from './user-features.js';
import type { ItemInfo } from '@streamrec/streams-common';

export { FEATURE as F, noListRanks, type ListRanks, type RankingContext, type SeedRecall } from './feature-support.js';

const F = FEATURE;
/** ch_* columns, in CHANNELS order (channelScores rows are indexed the same way). */
const CHANNEL_FEATURES: readonly number[] = CHANNELS.map((channel) => F[`ch_${channel}` as RankingFeature]);
const RANKED_CHANNELS: readonly (readonly [Channel, RankingFeature])[] = [
  [Channel.Transition, 'cross_rank_transition'],
  [Channel.Cooccurrence, 'cross_rank_cooccurrence'],
  [Channel.Content, 'cross_rank_content'],
  [Channel.SimilarUsers, 'cross_rank_similar_users'],
];

/** What every candidate of a request shares, computed once: the user side and the request context. */
interface RequestSide {
  readonly user: UserSide;
  readonly hourOfDay: number;
  readonly dayOfWeek: number;
  readonly scene: number;
}

/**
 * By context: an answer builds the model's rows and then its logged rows from the same context, and both
 * share one request side, so the logged user columns are the ones the model was given.
 */
const requestSides = new WeakMap<RankingContext, RequestSide>();

function requestSide(context: RankingContext): RequestSide {
  let side = requestSides.get(context);
  if (side === undefined) {
    const now = new Date(context.nowMs);
    side = { user: userSide(context), hourOfDay: now.getUTCHours(), dayOfWeek: now.getUTCDay(), scene: SCENE_CODES[context.scene] ?? OTHER_SCENE };
    requestSides.set(context, side);
  }
  return side;
}

/** What a set of columns needs computed per candidate (the rest of the row is left as it was). */
interface RowPlan {
  /** Row-major target column → RANKING_FEATURES index (−1: unknown name, written as 0). */
  readonly columns: readonly number[];
  readonly channels: boolean;
  readonly user: boolean;
  /** ItemParts bits. */
  readonly item: number;
  readonly cross: boolean;
  readonly context: boolean;
}

const CHANNEL_BLOCK: ReadonlySet<number> = new Set([...CHANNEL_FEATURES, F.fused_score, F.channel_count]);
const plans = new WeakMap<readonly string[], RowPlan>();

/** The plan of a model's feature list, made once per list (a model keeps its list while it serves). */
function rowPlanOf(featureNames: readonly string[]): RowPlan {
  let plan = plans.get(featureNames);
  if (plan === undefined) {
    const columns = featureNames.map((name) => (F as Readonly<Record<string, number>>)[name] ?? -1);
    const known = featureNames.map((name, index) => ({ name, column: columns[index] ?? -1 })).filter(({ column }) => column >= 0);
    plan = {
      columns,
      channels: known.some(({ column }) => CHANNEL_BLOCK.has(column)),
      user: known.some(({ name }) => name.startsWith('user_')),
      item: known.reduce((parts, { name, column }) => parts | itemPartOf(column, name), 0),
      cross: known.some(({ name }) => name.startsWith('cross_')),
      context: known.some(({ name }) => name.startsWith('context_')),
    };
    plans.set(featureNames, plan);
  }
  return plan;
}

const ALL_PARTS: Omit<RowPlan, 'columns'> = { channels: true, user: true, item: ItemParts.All, cross: true, context: true };

/** The user_* columns: the same for every candidate of a request, written once per row buffer. */
function fillUserColumns(out: Float64Array, request: RequestSide): void {
  for (const column of USER_COLUMNS) out[column] = request.user.values[column] ?? 0;
}

/**
 * Writes the ranking features of one candidate that `parts` asks for into `out` (indexed as
 * RANKING_FEATURES), except the user_* ones (`fillUserColumns`). Runs for each of a request's ~300
 * candidates, so it allocates nothing.
 */
function fillCandidateFeatures(out: Float64Array, candidate: FusedCandidate, context: RankingContext, request: RequestSide, parts: Omit<RowPlan, 'columns'>): void {
  const { user } = request;
  const info = context.catalogue(candidate.item);
  if (parts.channels) {
    const scores = candidate.channelScores;
    for (let index = 0; index < CHANNEL_FEATURES.length; index += 1) out[CHANNEL_FEATURES[index] as number] = scores[index] ?? 0;
    out[F.fused_score] = candidate.fused;
    out[F.channel_count] = candidate.channels.length;
  }
  if (parts.item !== 0) fillItemFeatures(out, candidate.item, info, context.itemStats(candidate.item), context, user.popularityFactor, parts.item);
  if (parts.cross) fillCrossFeatures(out, candidate, info, context, user);
  if (parts.context) {
    out[F.context_hour_of_day] = request.hourOfDay;
    out[F.context_day_of_week] = request.dayOfWeek;
    out[F.context_scene] = request.scene;
  }
}

/** Channel indices (in CHANNELS) and cross_rank_* columns of the ranked channels, as numbers for the per-candidate loop. */
const RANKED_CHANNEL_INDICES = Int32Array.from(RANKED_CHANNELS, ([channel]) => CHANNELS.indexOf(channel));
const RANKED_CHANNEL_COLUMNS = Int32Array.from(RANKED_CHANNELS, ([, feature]) => F[feature]);
const COOCCURRENCE_INDEX = CHANNELS.indexOf(Channel.Cooccurrence);
const TRANSITION_INDEX = CHANNELS.indexOf(Channel.Transition);
const CROSS_TAG_AFFINITY = F.cross_tag_affinity;
const CROSS_INDUSTRY_AFFINITY = F.cross_industry_affinity;
const CROSS_PRICE_BUCKET_AFFINITY = F.cross_price_bucket_affinity;
const CROSS_PRICE_RATIO = F.cross_price_ratio;
const CROSS_PRICE_VS_MAX = F.cross_price_vs_max;
const CROSS_COOCCURRENCE_MAX = F.cross_cooccurrence_max;
const CROSS_TRANSITION_MAX = F.cross_transition_max;
const CROSS_SEED_COUNT = F.cross_seed_count;
const CROSS_BEST_SEED_POSITION = F.cross_best_seed_position;
const CROSS_FROM_NEWEST_SEED = F.cross_from_newest_seed;
const CROSS_RANK_BEST = F.cross_rank_best;
const CROSS_PROFILE_INDUSTRY_MATCH = F.cross_profile_industry_match;
const CROSS_SEEN_BEFORE = F.cross_seen_before;

/** The cross_* (user × item) features of one candidate. Runs ~350 times per answer: constant columns, no iterators. */
function fillCrossFeatures(out: Float64Array, candidate: FusedCandidate, info: ItemInfo | undefined, context: RankingContext, user: UserSide): void {
  const price = info?.price ?? null;
  // The catalogue keeps tags de-duplicated, so each tag's share counts once.
  let tagAffinity = 0;
  if (info !== undefined && user.tagShare.size > 0) {
    const { tags } = info;
    for (let index = 0; index < tags.length; index += 1) tagAffinity += user.tagShare.get(tags[index] as string) ?? 0;
  }
  out[CROSS_TAG_AFFINITY] = tagAffinity;
  out[CROSS_INDUSTRY_AFFINITY] = info?.industry == null ? 0 : (user.industryShare.get(info.industry) ?? 0);
  const bucket = user.priceShare.size === 0 ? undefined : context.priceBucketOf(price);
  out[CROSS_PRICE_BUCKET_AFFINITY] = bucket === undefined ? 0 : (user.priceShare.get(bucket) ?? 0);
  out[CROSS_PRICE_RATIO] = price === null || user.usualPrice === null ? 0 : Math.log((price + 1) / (user.usualPrice + 1));
  out[CROSS_PRICE_VS_MAX] = price === null || user.maxPrice === null ? 0 : Math.log((price + 1) / (user.maxPrice + 1));
  const scores = candidate.channelScores;
  out[CROSS_COOCCURRENCE_MAX] = scores[COOCCURRENCE_INDEX] ?? 0;
  out[CROSS_TRANSITION_MAX] = scores[TRANSITION_INDEX] ?? 0;
  const seeds = context.seedRecall.size === 0 ? undefined : context.seedRecall.get(candidate.item);
  out[CROSS_SEED_COUNT] = seeds?.seeds ?? 0;
  out[CROSS_BEST_SEED_POSITION] = seeds?.bestPosition ?? -1;
  out[CROSS_FROM_NEWEST_SEED] = seeds?.bestPosition === 0 ? 1 : 0;
  const ranks = candidate.channelRanks;
  let best = -1;
  if (ranks === undefined) {
    for (let index = 0; index < RANKED_CHANNEL_COLUMNS.length; index += 1) out[RANKED_CHANNEL_COLUMNS[index] as number] = 0;
  } else {
    for (let index = 0; index < RANKED_CHANNEL_COLUMNS.length; index += 1) out[RANKED_CHANNEL_COLUMNS[index] as number] = rankScore(ranks[RANKED_CHANNEL_INDICES[index] as number] ?? -1);
    for (let index = 0; index < ranks.length; index += 1) {
      const rank = ranks[index] ?? -1;
      if (rank >= 0 && (best < 0 || rank < best)) best = rank;
    }
  }
  out[CROSS_RANK_BEST] = rankScore(best);
  out[CROSS_PROFILE_INDUSTRY_MATCH] = user.accountIndustry !== null && info?.industry === user.accountIndustry ? 1 : 0;
  out[CROSS_SEEN_BEFORE] = user.recentItems.has(candidate.item) ? 1 : 0;
}

/** Every ranking feature of one candidate, by name (tests and diagnostics; ranking uses `rankingRows`). */
export function candidateFeatures(candidate: FusedCandidate, context: RankingContext): Record<RankingFeature, number> {
  const values = new Float64Array(FEATURE_COUNT);
  const request = requestSide(context);
  fillUserColumns(values, request);
  fillCandidateFeatures(values, candidate, context, request, ALL_PARTS);
  return Object.fromEntries(RANKING_FEATURES.map((name, index) => [name, values[index] ?? 0])) as Record<RankingFeature, number>;
}

/**
 * Row-major feature matrix in the model's column order (unknown names are 0; the registry refuses such
 * models). Only the parts of a row the columns read are computed: a model of 18 features does not pay
 * for the other 90-odd.
 */
export function rankingRows(candidates: readonly FusedCandidate[], featureNames: readonly string[], context: RankingContext): Float32Array {
  const request = requestSide(context);
  const plan = rowPlanOf(featureNames);
  const { columns } = plan;
  const width = columns.length;
  const rows = new Float32Array(candidates.length * width);
  const scratch = new Float64Array(FEATURE_COUNT);
  if (plan.user) fillUserColumns(scratch, request);
  for (let row = 0; row < candidates.length; row += 1) {
    fillCandidateFeatures(scratch, candidates[row] as FusedCandidate, context, request, plan);
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
