import { decayTimeField, decayedCounter } from '@streamrec/foundation';
import { ACTION_WINDOW, ActivityWindow, StatsField, actionField, eventsField, smoothedCtr } from '@streamrec/features';
import type { ItemId, ItemInfo } from '@streamrec/streams-common';
import type { RankingFeature } from '@streamrec/ranking';
import { FEATURE, clampedDays, clampedHours, rankScore, ratio, type ListRanks, type RankingContext } from './feature-support.js';
import type { ItemStats } from './item-stats.js';

/** A decayed counter of the `stats` hash: its value field and its time field, named once (not per candidate). */
interface DecayedField {
  readonly value: string;
  readonly time: string;
  readonly halfLifeMs: number;
}

const decayedField = (value: string, halfLifeMs: number): DecayedField => ({ value, time: decayTimeField(value), halfLifeMs });
const HOUR = decayedField(eventsField(ActivityWindow.Hour), ActivityWindow.Hour.halfLifeMs);
const DAY = decayedField(eventsField(ActivityWindow.Day), ActivityWindow.Day.halfLifeMs);
const WEEK = decayedField(eventsField(ActivityWindow.Week), ActivityWindow.Week.halfLifeMs);
const DECAYED: readonly (readonly [DecayedField, RankingFeature])[] = (
  [
    ['view', 'item_views_7d'],
    ['click', 'item_clicks_7d'],
    ['download', 'item_downloads_7d'],
    ['favorite', 'item_favorites_7d'],
    ['cart', 'item_carts_7d'],
    ['purchase', 'item_purchases_7d'],
  ] as const
).map(([action, feature]) => [decayedField(actionField(action), ACTION_WINDOW.halfLifeMs), feature]);
const F = FEATURE;

/** The decayed counters a row reads, in the order `decayInputsOf` lays them out: the three windows, then the six actions. */
const DECAYED_FIELDS: readonly DecayedField[] = [HOUR, DAY, WEEK, ...DECAYED.map(([field]) => field)];
const DECAYED_ACTION_COLUMNS = Int32Array.from(DECAYED, ([, feature]) => F[feature]);
const FIRST_EVENT_AT = 2 * DECAYED_FIELDS.length;

/**
 * The `stats` hash's decayed counters as (value, time) pairs in DECAYED_FIELDS order, then the first
 * event time: read from the hash once per stats object instead of 19 lookups by name per candidate. An
 * absent counter is (NaN, 0), an absent first event NaN; `decayedCounter` and `clampedDays` give 0 for
 * both, as they do for the missing fields.
 */
function decayInputsOf(stats: Readonly<Record<string, number>>): Float64Array {
  const inputs = new Float64Array(FIRST_EVENT_AT + 1);
  DECAYED_FIELDS.forEach((field, index) => {
    const value = stats[field.value];
    const time = stats[field.time];
    inputs[2 * index] = value === undefined || time === undefined ? Number.NaN : value;
    inputs[2 * index + 1] = time ?? 0;
  });
  inputs[FIRST_EVENT_AT] = stats[StatsField.FirstEventMs] ?? Number.NaN;
  return inputs;
}

/** The counter at `index` of DECAYED_FIELDS as of `nowMs`. */
function decayed(inputs: Float64Array, index: number, nowMs: number): number {
  return decayedCounter(inputs[2 * index], inputs[2 * index + 1], nowMs, (DECAYED_FIELDS[index] as DecayedField).halfLifeMs);
}

/** The item_* columns that depend on nothing but the item's stats and catalogue entry and the lists' snapshot. */
const STATIC_COLUMNS: readonly number[] = (
  [
    'item_views_log',
    'item_clicks_log',
    'item_downloads_log',
    'item_purchases_log',
    'item_favorites_log',
    'item_carts_log',
    'item_events_log',
    'item_distinct_users_log',
    'item_users_per_event',
    'item_ctr',
    'item_exposures_log',
    'item_view_download_conversion',
    'item_view_purchase_conversion',
    'item_view_cart_conversion',
    'item_view_favorite_conversion',
    'item_price_log',
    'item_is_free',
    'item_price_bucket_index',
    'item_tag_count',
    'item_title_length',
    'item_description_length_log',
    'item_text_cjk_share',
    'item_industry_rank',
    'item_popular_rank',
    'item_trending_rank',
  ] as const satisfies readonly RankingFeature[]
).map((name) => F[name]);

/** An item's static columns and what they were computed from (a change of any of these recomputes them). */
interface StaticColumns {
  readonly item: ItemId;
  readonly info: ItemInfo | undefined;
  readonly listRanks: ListRanks;
  readonly priceBucketIndexOf: RankingContext['priceBucketIndexOf'];
  readonly values: Float64Array;
}

/** What a stats object gives every request that reads it: its decay inputs, and its last static columns. */
interface StatsMemo {
  readonly decayInputs: Float64Array;
  staticColumns: StaticColumns | undefined;
}

/**
 * Memos by the stats object they came from. Stats objects are shared by every request until the reader's
 * cache refreshes them (a couple of seconds), so most candidates of most requests find theirs here.
 */
const memoByStats = new WeakMap<ItemStats, StatsMemo>();

function memoOf(stats: ItemStats): StatsMemo {
  let memo = memoByStats.get(stats);
  if (memo === undefined) {
    memo = { decayInputs: decayInputsOf(stats.stats), staticColumns: undefined };
    memoByStats.set(stats, memo);
  }
  return memo;
}

/** Which item_* columns a caller needs (bits; `ItemParts.All` for every one). */
export const ItemParts = {
  /** STATIC_COLUMNS: kept per item between requests. */
  Static: 1,
  /** The decayed counters (events_1h/24h/7d, trend, the six *_7d actions) and days since the first event. */
  Decayed: 2,
  /** The other request-time columns: popularity, hours since the last event, ages, the industry's size. */
  Timed: 4,
  All: 7,
} as const;

const DECAYED_COLUMNS: ReadonlySet<number> = new Set([
  F.item_events_1h,
  F.item_events_24h,
  F.item_events_7d,
  F.item_trend,
  ...DECAYED.map(([, feature]) => F[feature]),
  F.item_days_since_first_event,
]);
const STATIC_SET: ReadonlySet<number> = new Set(STATIC_COLUMNS);

/** The item part a column belongs to (0 for a column that is not an item_* one). */
export function itemPartOf(column: number, name: string): number {
  if (!name.startsWith('item_')) return 0;
  if (STATIC_SET.has(column)) return ItemParts.Static;
  return DECAYED_COLUMNS.has(column) ? ItemParts.Decayed : ItemParts.Timed;
}

/**
 * Writes the item_* features of one candidate in `parts` into `out` (indexed as RANKING_FEATURES). Runs
 * for each of a request's ~300 candidates: the columns that do not depend on the request time are copied
 * from the item's last computation while its stats, catalogue entry and list snapshot are the same objects.
 */
export function fillItemFeatures(out: Float64Array, item: ItemId, info: ItemInfo | undefined, stats: ItemStats, context: RankingContext, popularityFactor: number, parts: number = ItemParts.All): void {
  const memo = memoOf(stats);
  if ((parts & ItemParts.Static) !== 0) {
    const known = memo.staticColumns;
    if (known !== undefined && known.item === item && known.info === info && known.listRanks === context.listRanks && known.priceBucketIndexOf === context.priceBucketIndexOf) {
      const { values } = known;
      for (let index = 0; index < STATIC_COLUMNS.length; index += 1) out[STATIC_COLUMNS[index] as number] = values[index] ?? 0;
    } else {
      fillStaticItemFeatures(out, item, info, stats, context);
      const values = Float64Array.from(STATIC_COLUMNS, (column) => out[column] ?? 0);
      memo.staticColumns = { item, info, listRanks: context.listRanks, priceBucketIndexOf: context.priceBucketIndexOf, values };
    }
  }
  if ((parts & ItemParts.Decayed) !== 0) fillDecayedItemFeatures(out, memo.decayInputs, context.nowMs);
  if ((parts & ItemParts.Timed) !== 0) fillTimedItemFeatures(out, info, stats, context, popularityFactor);
}

/** The STATIC_COLUMNS of one item. */
function fillStaticItemFeatures(out: Float64Array, item: ItemId, info: ItemInfo | undefined, stats: ItemStats, context: RankingContext): void {
  const counts = stats.counts;
  const views = counts['view'] ?? 0;
  let events = 0;
  for (const value of Object.values(counts)) events += value;
  out[F.item_views_log] = Math.log1p(views);
  out[F.item_clicks_log] = Math.log1p(counts['click'] ?? 0);
  out[F.item_downloads_log] = Math.log1p(counts['download'] ?? 0);
  out[F.item_purchases_log] = Math.log1p(counts['purchase'] ?? 0);
  out[F.item_favorites_log] = Math.log1p(counts['favorite'] ?? 0);
  out[F.item_carts_log] = Math.log1p(counts['cart'] ?? 0);
  out[F.item_events_log] = Math.log1p(events);
  out[F.item_distinct_users_log] = Math.log1p(stats.distinctUsers);
  out[F.item_users_per_event] = ratio(stats.distinctUsers, events);
  out[F.item_ctr] = smoothedCtr(stats.ctrClicks, stats.ctrExposures);
  out[F.item_exposures_log] = Math.log1p(stats.ctrExposures);
  out[F.item_view_download_conversion] = (counts['download'] ?? 0) / (views + 1);
  out[F.item_view_purchase_conversion] = (counts['purchase'] ?? 0) / (views + 1);
  out[F.item_view_cart_conversion] = (counts['cart'] ?? 0) / (views + 1);
  out[F.item_view_favorite_conversion] = (counts['favorite'] ?? 0) / (views + 1);

  const price = info?.price ?? null;
  out[F.item_price_log] = Math.log1p(Math.max(0, price ?? 0));
  out[F.item_is_free] = price === 0 ? 1 : 0;
  out[F.item_price_bucket_index] = context.priceBucketIndexOf(price);
  out[F.item_tag_count] = info?.tags.length ?? 0;
  const attributes = info?.attributes;
  out[F.item_title_length] = attributes?.titleLength ?? 0;
  out[F.item_description_length_log] = Math.log1p(attributes?.descriptionLength ?? 0);
  out[F.item_text_cjk_share] = attributes?.cjkShare ?? 0;
  const industry = info?.industry ?? null;
  out[F.item_industry_rank] = industry === null || industry === '' ? 0 : rankScore(context.listRanks.industry(item, industry) ?? -1);
  out[F.item_popular_rank] = rankScore(context.listRanks.popular(item) ?? -1);
  out[F.item_trending_rank] = rankScore(context.listRanks.trending(item) ?? -1);
}

const ITEM_EVENTS_1H = F.item_events_1h;
const ITEM_EVENTS_24H = F.item_events_24h;
const ITEM_EVENTS_7D = F.item_events_7d;
const ITEM_TREND = F.item_trend;
const ITEM_DAYS_SINCE_FIRST_EVENT = F.item_days_since_first_event;

/** The decayed counters of the item's `stats` hash (`decayInputsOf`) as of the request time. */
function fillDecayedItemFeatures(out: Float64Array, inputs: Float64Array, nowMs: number): void {
  const hour = decayed(inputs, 0, nowMs);
  const day = decayed(inputs, 1, nowMs);
  const week = decayed(inputs, 2, nowMs);
  out[ITEM_EVENTS_1H] = hour;
  out[ITEM_EVENTS_24H] = day;
  out[ITEM_EVENTS_7D] = week;
  out[ITEM_TREND] = Math.log((day + 1) / (week / 7 + 1));
  for (let index = 0; index < DECAYED_ACTION_COLUMNS.length; index += 1) out[DECAYED_ACTION_COLUMNS[index] as number] = decayed(inputs, 3 + index, nowMs);
  out[ITEM_DAYS_SINCE_FIRST_EVENT] = clampedDays(inputs[FIRST_EVENT_AT] ?? Number.NaN, nowMs);
}

/** The other item_* columns that move with the request time, and the industry's size. */
function fillTimedItemFeatures(out: Float64Array, info: ItemInfo | undefined, stats: ItemStats, context: RankingContext, popularityFactor: number): void {
  const { nowMs } = context;
  out[F.item_popularity_log] = Math.log1p(Math.max(0, stats.popularityRaw * popularityFactor));
  out[F.item_hours_since_last_event] = clampedHours(stats.lastEventMs, nowMs);
  const attributes = info?.attributes;
  out[F.item_age_days] = clampedDays(attributes?.createdAtMs ?? null, nowMs);
  out[F.item_days_since_update] = clampedDays(attributes?.updatedAtMs ?? null, nowMs);
  const industry = info?.industry ?? null;
  out[F.item_industry_size_log] = industry === null || industry === '' ? 0 : Math.log1p(context.industrySize(industry));
}
