import { ACTION_WINDOW, ActivityWindow, StatsField, actionField, decayedPopularity, decayedStat, eventsField } from '@streamrec/features';
import type { RankingFeature } from '@streamrec/ranking';
import { interactionCount, type Affinity } from '../serving/user-profile.js';
import { FEATURE, clampedDays, clampedHours, ratio, type FeatureWriter, type RankingContext } from './feature-support.js';

const ACTIONS = ['view', 'click', 'download', 'favorite', 'cart', 'purchase'] as const;
const SHARE: Readonly<Record<(typeof ACTIONS)[number], RankingFeature>> = {
  view: 'user_view_share',
  click: 'user_click_share',
  download: 'user_download_share',
  favorite: 'user_favorite_share',
  cart: 'user_cart_share',
  purchase: 'user_purchase_share',
};
const DECAYED: Readonly<Record<(typeof ACTIONS)[number], RankingFeature>> = {
  view: 'user_views_7d',
  click: 'user_clicks_7d',
  download: 'user_downloads_7d',
  favorite: 'user_favorites_7d',
  cart: 'user_carts_7d',
  purchase: 'user_purchases_7d',
};

/** What every candidate of a request shares about the user, computed once per request. */
export interface UserSide {
  /** Every user_* feature, indexed as RANKING_FEATURES (other columns 0). */
  readonly values: Float64Array;
  readonly tagShare: ReadonlyMap<string, number>;
  readonly industryShare: ReadonlyMap<string, number>;
  readonly priceShare: ReadonlyMap<string, number>;
  /** Mean price of the user's recent items (null: none priced). */
  readonly usualPrice: number | null;
  /** Highest price the user interacted with (null: none priced). */
  readonly maxPrice: number | null;
  readonly recentItems: ReadonlySet<string>;
  readonly accountIndustry: string | null;
  /** Raw forward-decayed popularity × this = popularity now (one exp per request, not per candidate). */
  readonly popularityFactor: number;
}

/** Columns of the user family, for `rankingRows` to copy into each row at once. */
export const USER_COLUMNS: readonly number[] = Object.entries(FEATURE)
  .filter(([name]) => name.startsWith('user_'))
  .map(([, index]) => index);

export function userSide(context: RankingContext): UserSide {
  const { profile, nowMs } = context;
  const values = new Float64Array(Object.keys(FEATURE).length);
  const set: FeatureWriter = (name, value) => {
    values[FEATURE[name]] = value;
  };
  const count = (action: string): number => profile.counts[action] ?? 0;
  const total = interactionCount(profile);
  set('user_views_log', Math.log1p(count('view')));
  set('user_clicks_log', Math.log1p(count('click')));
  set('user_downloads_log', Math.log1p(count('download')));
  set('user_favorites_log', Math.log1p(count('favorite')));
  set('user_carts_log', Math.log1p(count('cart')));
  set('user_purchases_log', Math.log1p(count('purchase')));
  set('user_recent_count', profile.recent.length);
  set('user_hours_since_last_event', total === 0 ? clampedHours(null, nowMs) : clampedHours(profile.lastEventMs, nowMs));
  set('user_events_log', Math.log1p(total));
  const stats = profile.stats;
  for (const window of [ActivityWindow.Hour, ActivityWindow.Day, ActivityWindow.Week]) {
    set(`user_events_${window.suffix}` as RankingFeature, decayedStat(stats, eventsField(window), window.halfLifeMs, nowMs));
  }
  for (const action of ACTIONS) {
    set(DECAYED[action], decayedStat(stats, actionField(action), ACTION_WINDOW.halfLifeMs, nowMs));
    set(SHARE[action], ratio(count(action), total));
  }
  set('user_purchase_conversion', count('purchase') / (count('view') + 1));
  set('user_cart_conversion', count('cart') / (count('view') + 1));
  set('user_active_days_log', Math.log1p(profile.activeDays));
  set('user_sessions_log', Math.log1p(profile.sessions));
  const first = stats[StatsField.FirstEventMs];
  set('user_days_since_first_event', clampedDays(first ?? null, nowMs));
  set('user_mean_gap_hours', first === undefined || profile.lastEventMs === null || total < 2 ? 0 : Math.max(0, profile.lastEventMs - first) / 3_600_000 / (total - 1));
  const priced = stats[StatsField.PriceCount] ?? 0;
  set('user_price_mean_log', priced > 0 ? Math.log1p((stats[StatsField.PriceSum] ?? 0) / priced) : 0);
  const maxPrice = priced > 0 ? (stats[StatsField.PriceMax] ?? 0) : null;
  set('user_price_max_log', Math.log1p(maxPrice ?? 0));
  const bought = stats[StatsField.PurchasedPriceCount] ?? 0;
  set('user_purchased_price_mean_log', bought > 0 ? Math.log1p((stats[StatsField.PurchasedPriceSum] ?? 0) / bought) : 0);
  set('user_free_share', ratio(stats[StatsField.FreeCount] ?? 0, priced));
  set('user_tag_entropy', entropy(profile.tagAffinity));
  set('user_industry_entropy', entropy(profile.industryAffinity));
  set('user_tag_count', profile.tagAffinity.length);
  const account = profile.account;
  set('user_tenure_days', account?.createdAtMs == null ? 0 : clampedDays(account.createdAtMs, nowMs));
  set('user_has_profile', account === null ? 0 : 1);
  set('user_country_code', countryCode(account?.country ?? null));

  const prices = profile.recent.map(({ item }) => context.catalogue(item)?.price ?? null).filter((price): price is number => price !== null && price >= 0);
  return {
    values,
    tagShare: shares(profile.tagAffinity),
    industryShare: shares(profile.industryAffinity),
    priceShare: shares(profile.priceAffinity),
    usualPrice: prices.length === 0 ? null : prices.reduce((sum, price) => sum + price, 0) / prices.length,
    maxPrice,
    recentItems: new Set(profile.recent.map(({ item }) => item)),
    accountIndustry: account?.industry ?? null,
    popularityFactor: decayedPopularity(1, nowMs, context.decay),
  };
}

export function shares(affinities: readonly Affinity[]): Map<string, number> {
  const total = affinities.reduce((sum, { value }) => sum + Math.max(0, value), 0);
  return new Map(affinities.map(({ name, value }) => [name, total > 0 ? Math.max(0, value) / total : 0]));
}

/** Shannon entropy (nats) of the affinity shares: 0 for one interest, larger for broader ones. */
export function entropy(affinities: readonly Affinity[]): number {
  let result = 0;
  for (const share of shares(affinities).values()) if (share > 0) result -= share * Math.log(share);
  return result;
}

/** ISO alpha-2 as a number a tree can split on: 26·(c1−A)+(c2−A)+1; 0 when unknown or malformed. */
export function countryCode(country: string | null): number {
  if (country === null || !/^[A-Z]{2}$/.test(country)) return 0;
  return 26 * (country.charCodeAt(0) - 65) + (country.charCodeAt(1) - 65) + 1;
}
