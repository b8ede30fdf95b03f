/**
 * The features the API can assemble for each (user, candidate item) pair, by name, with one line of
 * definition each: the training contract. A model declares the subset it was trained on (in order) in its
 * models.published.v1 record; the API refuses a model that names a feature not listed here. Every
 * exposure logs the vector it served with its `feature_names`, and the trainer reads those names, so a
 * name never changes meaning: add new names (at the end), never rename or redefine one.
 * docs/features.md is generated from this table (`npm run model -- features-doc`).
 */

export const FeatureFamily = { Recall: 'recall', User: 'user', Item: 'item', Cross: 'cross', Context: 'context' } as const;
export type FeatureFamily = (typeof FeatureFamily)[keyof typeof FeatureFamily];

export interface FeatureDefinition {
  readonly name: string;
  readonly family: FeatureFamily;
  /** What it measures, in one line. */
  readonly meaning: string;
  /** Where the value comes from (state, catalogue, request). */
  readonly source: string;
  /** Window or decay, or 'all time' / 'request'. */
  readonly window: string;
  readonly unit: string;
}

const f = <Name extends string>(name: Name, family: FeatureFamily, meaning: string, source: string, window: string, unit: string): FeatureDefinition & { readonly name: Name } => ({
  name,
  family,
  meaning,
  source,
  window,
  unit,
});

const RECALL = FeatureFamily.Recall;
const USER = FeatureFamily.User;
const ITEM = FeatureFamily.Item;
const CROSS = FeatureFamily.Cross;
const CONTEXT = FeatureFamily.Context;
const CHANNEL = 'recall channel list (request)';
const USER_STATE = 'features processor, user state';
const ITEM_STATE = 'features processor, item state';
const CATALOGUE = 'events.items.v1 (catalogue)';

/** In feature-index order; the first 34 are the original bootstrap set. */
export const FEATURE_DEFINITIONS = [
  f('ch_transition', RECALL, "normalised score of the transition channel (items users moved to next from the user's recent items)", CHANNEL, 'request', '0..1'),
  f('ch_cooccurrence', RECALL, 'normalised score of the co-occurrence channel', CHANNEL, 'request', '0..1'),
  f('ch_tag', RECALL, "normalised score of the tag-affinity channel (popular items of the user's tags)", CHANNEL, 'request', '0..1'),
  f('ch_industry', RECALL, 'normalised score of the industry-affinity channel', CHANNEL, 'request', '0..1'),
  f('ch_price_bucket', RECALL, 'normalised score of the price-bucket-affinity channel', CHANNEL, 'request', '0..1'),
  f('ch_similar_users', RECALL, 'normalised score of the similar-users channel (UserCF, Adamic–Adar)', CHANNEL, 'request', '0..1'),
  f('ch_content', RECALL, 'normalised score of the content channel (TF-IDF vectors, usearch)', CHANNEL, 'request', '0..1'),
  f('ch_trending', RECALL, 'normalised score of the 24 h hot list', CHANNEL, 'request', '0..1'),
  f('ch_popular', RECALL, 'normalised score of the all-time popular list', CHANNEL, 'request', '0..1'),
  f('fused_score', RECALL, 'weighted sum of the channel scores (the recall order)', 'fusion (request)', 'request', 'weighted score'),
  f('channel_count', RECALL, 'number of channels that produced the item', 'fusion (request)', 'request', 'count'),
  f('user_views_log', USER, 'views by the user', USER_STATE, 'all time', 'log1p(count)'),
  f('user_clicks_log', USER, 'clicks by the user', USER_STATE, 'all time', 'log1p(count)'),
  f('user_downloads_log', USER, 'downloads by the user', USER_STATE, 'all time', 'log1p(count)'),
  f('user_favorites_log', USER, 'favourites by the user', USER_STATE, 'all time', 'log1p(count)'),
  f('user_carts_log', USER, 'add-to-carts by the user', USER_STATE, 'all time', 'log1p(count)'),
  f('user_purchases_log', USER, 'purchases by the user', USER_STATE, 'all time', 'log1p(count)'),
  f('user_recent_count', USER, "items in the user's recent list", USER_STATE, 'newest 50 items', 'count'),
  f('user_hours_since_last_event', USER, "time since the user's newest event", USER_STATE, 'request', 'hours (cap 8760)'),
  f('item_popularity_log', ITEM, 'forward-decayed popularity (action-weighted events)', ITEM_STATE, 'popularity half-life', 'log1p(decayed weight)'),
  f('item_views_log', ITEM, 'views of the item', ITEM_STATE, 'all time', 'log1p(count)'),
  f('item_clicks_log', ITEM, 'clicks on the item', ITEM_STATE, 'all time', 'log1p(count)'),
  f('item_downloads_log', ITEM, 'downloads of the item', ITEM_STATE, 'all time', 'log1p(count)'),
  f('item_purchases_log', ITEM, 'purchases of the item', ITEM_STATE, 'all time', 'log1p(count)'),
  f('item_distinct_users_log', ITEM, 'distinct users who interacted (HyperLogLog)', ITEM_STATE, 'all time', 'log1p(count)'),
  f('item_ctr', ITEM, 'clicks per exposure, smoothed towards a 5 % prior of strength 20', ITEM_STATE, 'all time', 'ratio'),
  f('item_hours_since_last_event', ITEM, "time since the item's newest event", ITEM_STATE, 'request', 'hours (cap 8760)'),
  f('item_price_log', ITEM, 'list price', CATALOGUE, 'current', 'log1p(price)'),
  f('cross_tag_affinity', CROSS, "share of the user's decayed tag affinity on the item's tags", `${USER_STATE} × ${CATALOGUE}`, 'affinity half-life', 'share 0..1'),
  f('cross_industry_affinity', CROSS, "share of the user's decayed industry affinity on the item's industry", `${USER_STATE} × ${CATALOGUE}`, 'affinity half-life', 'share 0..1'),
  f('cross_price_bucket_affinity', CROSS, "share of the user's decayed price-bucket affinity on the item's bucket", `${USER_STATE} × ${CATALOGUE}`, 'affinity half-life', 'share 0..1'),
  f('cross_price_ratio', CROSS, "item price against the mean price of the user's recent items", `${USER_STATE} × ${CATALOGUE}`, 'newest 50 items', 'log((price+1)/(usual+1))'),
  f('cross_cooccurrence_max', CROSS, 'co-occurrence channel score (kept for models trained on it)', CHANNEL, 'request', '0..1'),
  f('cross_transition_max', CROSS, 'transition channel score (kept for models trained on it)', CHANNEL, 'request', '0..1'),
  // Added with the trained ranker.
  f('user_events_log', USER, 'events by the user, every action', USER_STATE, 'all time', 'log1p(count)'),
  f('user_events_1h', USER, 'events by the user, exponentially decayed', USER_STATE, 'half-life 1 h', 'decayed count'),
  f('user_events_24h', USER, 'events by the user, exponentially decayed', USER_STATE, 'half-life 24 h', 'decayed count'),
  f('user_events_7d', USER, 'events by the user, exponentially decayed', USER_STATE, 'half-life 7 d', 'decayed count'),
  f('user_views_7d', USER, 'views by the user, decayed', USER_STATE, 'half-life 7 d', 'decayed count'),
  f('user_clicks_7d', USER, 'clicks by the user, decayed', USER_STATE, 'half-life 7 d', 'decayed count'),
  f('user_downloads_7d', USER, 'downloads by the user, decayed', USER_STATE, 'half-life 7 d', 'decayed count'),
  f('user_favorites_7d', USER, 'favourites by the user, decayed', USER_STATE, 'half-life 7 d', 'decayed count'),
  f('user_carts_7d', USER, 'add-to-carts by the user, decayed', USER_STATE, 'half-life 7 d', 'decayed count'),
  f('user_purchases_7d', USER, 'purchases by the user, decayed', USER_STATE, 'half-life 7 d', 'decayed count'),
  f('user_view_share', USER, "views among the user's events", USER_STATE, 'all time', 'share 0..1'),
  f('user_click_share', USER, "clicks among the user's events", USER_STATE, 'all time', 'share 0..1'),
  f('user_download_share', USER, "downloads among the user's events", USER_STATE, 'all time', 'share 0..1'),
  f('user_favorite_share', USER, "favourites among the user's events", USER_STATE, 'all time', 'share 0..1'),
  f('user_cart_share', USER, "add-to-carts among the user's events", USER_STATE, 'all time', 'share 0..1'),
  f('user_purchase_share', USER, "purchases among the user's events", USER_STATE, 'all time', 'share 0..1'),
  f('user_purchase_conversion', USER, 'purchases per view, smoothed (+1 views)', USER_STATE, 'all time', 'ratio'),
  f('user_cart_conversion', USER, 'add-to-carts per view, smoothed (+1 views)', USER_STATE, 'all time', 'ratio'),
  f('user_active_days_log', USER, 'distinct days with an event (HyperLogLog of UTC days)', USER_STATE, 'all time', 'log1p(days)'),
  f('user_sessions_log', USER, 'distinct sessions (Matomo visits, storefront sessions; HyperLogLog)', USER_STATE, 'all time', 'log1p(count)'),
  f('user_days_since_first_event', USER, "time since the user's first event", USER_STATE, 'request', 'days (cap 3650)'),
  f('user_mean_gap_hours', USER, 'mean time between events: (last − first) / (events − 1)', USER_STATE, 'all time', 'hours'),
  f('user_price_mean_log', USER, 'mean list price of the items the user interacted with', `${USER_STATE} (catalogue price at event time)`, 'all time', 'log1p(price)'),
  f('user_price_max_log', USER, 'highest list price among the items the user interacted with', `${USER_STATE} (catalogue price at event time)`, 'all time', 'log1p(price)'),
  f('user_purchased_price_mean_log', USER, 'mean list price of the items the user bought', `${USER_STATE} (catalogue price at event time)`, 'all time', 'log1p(price)'),
  f('user_free_share', USER, 'share of free items among the priced items the user interacted with', `${USER_STATE} (catalogue price at event time)`, 'all time', 'share 0..1'),
  f('user_tag_entropy', USER, "entropy of the user's decayed tag affinity (breadth of interest)", USER_STATE, 'affinity half-life', 'nats'),
  f('user_industry_entropy', USER, "entropy of the user's decayed industry affinity", USER_STATE, 'affinity half-life', 'nats'),
  f('user_tag_count', USER, "tags in the user's affinity (top 50 kept)", USER_STATE, 'affinity half-life', 'count'),
  f('user_tenure_days', USER, 'time since the shop account was created', 'events.users.v1 (profile)', 'request', 'days (0 when unknown)'),
  f('user_has_profile', USER, 'a logged-in user with a shop profile (1) or an anonymous visitor (0)', 'events.users.v1 (profile)', 'current', '0/1'),
  f('user_country_code', USER, "the shop account's country (ISO 3166-1 alpha-2 as a number, a categorical split)", 'events.users.v1 (profile)', 'current', '26·(c1−A)+(c2−A)+1, 0 unknown'),
  f('item_favorites_log', ITEM, 'favourites of the item', ITEM_STATE, 'all time', 'log1p(count)'),
  f('item_carts_log', ITEM, 'add-to-carts of the item', ITEM_STATE, 'all time', 'log1p(count)'),
  f('item_events_log', ITEM, 'events on the item, every action', ITEM_STATE, 'all time', 'log1p(count)'),
  f('item_events_1h', ITEM, 'events on the item, exponentially decayed', ITEM_STATE, 'half-life 1 h', 'decayed count'),
  f('item_events_24h', ITEM, 'events on the item, exponentially decayed', ITEM_STATE, 'half-life 24 h', 'decayed count'),
  f('item_events_7d', ITEM, 'events on the item, exponentially decayed', ITEM_STATE, 'half-life 7 d', 'decayed count'),
  f('item_views_7d', ITEM, 'views of the item, decayed', ITEM_STATE, 'half-life 7 d', 'decayed count'),
  f('item_clicks_7d', ITEM, 'clicks on the item, decayed', ITEM_STATE, 'half-life 7 d', 'decayed count'),
  f('item_downloads_7d', ITEM, 'downloads of the item, decayed', ITEM_STATE, 'half-life 7 d', 'decayed count'),
  f('item_favorites_7d', ITEM, 'favourites of the item, decayed', ITEM_STATE, 'half-life 7 d', 'decayed count'),
  f('item_carts_7d', ITEM, 'add-to-carts of the item, decayed', ITEM_STATE, 'half-life 7 d', 'decayed count'),
  f('item_purchases_7d', ITEM, 'purchases of the item, decayed', ITEM_STATE, 'half-life 7 d', 'decayed count'),
  f('item_trend', ITEM, 'rising or falling: decayed events at the 24 h half-life against the 7 d one scaled to a day', ITEM_STATE, '24 h vs 7 d', 'log((e24 + 1) / (e7 / 7 + 1))'),
  f('item_view_download_conversion', ITEM, 'downloads per view, smoothed (+1 views)', ITEM_STATE, 'all time', 'ratio'),
  f('item_view_purchase_conversion', ITEM, 'purchases per view, smoothed (+1 views)', ITEM_STATE, 'all time', 'ratio'),
  f('item_view_cart_conversion', ITEM, 'add-to-carts per view, smoothed (+1 views)', ITEM_STATE, 'all time', 'ratio'),
  f('item_view_favorite_conversion', ITEM, 'favourites per view, smoothed (+1 views)', ITEM_STATE, 'all time', 'ratio'),
  f('item_exposures_log', ITEM, 'times the API showed the item', ITEM_STATE, 'all time', 'log1p(count)'),
  f('item_age_days', ITEM, 'time since the dataset was created', CATALOGUE, 'request', 'days (cap 3650; 0 unknown)'),
  f('item_days_since_update', ITEM, 'time since the dataset was last updated', CATALOGUE, 'request', 'days (cap 3650; 0 unknown)'),
  f('item_days_since_first_event', ITEM, "time since the item's first event", ITEM_STATE, 'request', 'days (cap 3650)'),
  f('item_is_free', ITEM, 'price is 0', CATALOGUE, 'current', '0/1'),
  f('item_price_bucket_index', ITEM, 'index of the price bucket (free = 0, then by bound)', CATALOGUE, 'current', 'index (−1 unknown)'),
  f('item_tag_count', ITEM, 'number of tags', CATALOGUE, 'current', 'count'),
  f('item_title_length', ITEM, 'title length', CATALOGUE, 'current', 'characters'),
  f('item_description_length_log', ITEM, 'description length', CATALOGUE, 'current', 'log1p(characters)'),
  f('item_text_cjk_share', ITEM, 'language signal: share of CJK characters in title and description', CATALOGUE, 'current', 'share 0..1'),
  f('item_industry_rank', ITEM, "rank in its industry's popular list", 'popular lists (API, rebuilt every few seconds)', 'popularity half-life', '1/(1+rank), 0 when absent'),
  f('item_popular_rank', ITEM, 'rank in the global popular list', 'popular lists (API)', 'popularity half-life', '1/(1+rank), 0 when absent'),
  f('item_trending_rank', ITEM, "rank in the day's hot list", 'popular lists (API)', '24 h buckets', '1/(1+rank), 0 when absent'),
  f('item_industry_size_log', ITEM, 'items in the same industry in the catalogue', CATALOGUE, 'current', 'log1p(count)'),
  f('item_users_per_event', ITEM, 'distinct users per event (low = the same users come back)', ITEM_STATE, 'all time', 'ratio'),
  f('cross_price_vs_max', CROSS, 'item price against the highest price the user interacted with', `${USER_STATE} × ${CATALOGUE}`, 'all time', 'log((price+1)/(max+1))'),
  f('cross_from_newest_seed', CROSS, "recalled (co-occurrence or transition) from the user's newest item", 'recall (request)', 'request', '0/1'),
  f('cross_best_seed_position', CROSS, 'position of the newest recent item that recalled it', 'recall (request)', 'request', '0-based (−1 none)'),
  f('cross_seed_count', CROSS, 'recent items that recalled it through co-occurrence or transition', 'recall (request)', 'request', 'count'),
  f('cross_rank_transition', CROSS, 'position in the transition list', CHANNEL, 'request', '1/(1+rank), 0 when absent'),
  f('cross_rank_cooccurrence', CROSS, 'position in the co-occurrence list', CHANNEL, 'request', '1/(1+rank), 0 when absent'),
  f('cross_rank_content', CROSS, 'position in the content list', CHANNEL, 'request', '1/(1+rank), 0 when absent'),
  f('cross_rank_similar_users', CROSS, 'position in the similar-users list', CHANNEL, 'request', '1/(1+rank), 0 when absent'),
  f('cross_rank_best', CROSS, 'best position in any channel list', CHANNEL, 'request', '1/(1+rank), 0 when absent'),
  f('cross_profile_industry_match', CROSS, "the item's industry is the shop account's industry", `events.users.v1 × ${CATALOGUE}`, 'current', '0/1'),
  f('cross_seen_before', CROSS, "the item is in the user's recent items", USER_STATE, 'newest 50 items', '0/1'),
  f('context_hour_of_day', CONTEXT, 'hour of the request', 'request (UTC)', 'request', '0..23'),
  f('context_day_of_week', CONTEXT, 'day of the request', 'request (UTC)', 'request', '0 = Sunday .. 6'),
  f('context_scene', CONTEXT, 'placement of the request: home 0, item_detail 1, cart 2, search 3, email 4, other 5', 'request', 'request', 'code'),
] as const satisfies readonly FeatureDefinition[];

type Names<T extends readonly { readonly name: string }[]> = { readonly [K in keyof T]: T[K]['name'] };

export const RANKING_FEATURES = FEATURE_DEFINITIONS.map((definition) => definition.name) as unknown as Names<typeof FEATURE_DEFINITIONS>;
export type RankingFeature = (typeof FEATURE_DEFINITIONS)[number]['name'];

const known: ReadonlySet<string> = new Set(RANKING_FEATURES);

export function isRankingFeature(name: string): name is RankingFeature {
  return known.has(name);
}

/** Names per family (docs and the closing counts). */
export function featuresOf(family: FeatureFamily): readonly RankingFeature[] {
  return FEATURE_DEFINITIONS.filter((definition) => definition.family === family).map((definition) => definition.name);
}
