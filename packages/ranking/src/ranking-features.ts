/**
 * The features the API can assemble for each (user, candidate item) pair, by name. A model declares the
 * subset it was trained on (in order) in its models.published.v1 record; the API refuses a model that
 * names a feature not listed here. The training job reads the same names from the exposures' logged
 * `feature_names`, so a name never changes meaning: add new names, never rename.
 */
export const RANKING_FEATURES = [
  // recall: the channel's normalised score for the item (0 when the channel did not produce it)
  'ch_transition',
  'ch_cooccurrence',
  'ch_tag',
  'ch_industry',
  'ch_price_bucket',
  'ch_similar_users',
  'ch_content',
  'ch_trending',
  'ch_popular',
  'fused_score',
  'channel_count',
  // user
  'user_views_log',
  'user_clicks_log',
  'user_downloads_log',
  'user_favorites_log',
  'user_carts_log',
  'user_purchases_log',
  'user_recent_count',
  'user_hours_since_last_event',
  // item
  'item_popularity_log',
  'item_views_log',
  'item_clicks_log',
  'item_downloads_log',
  'item_purchases_log',
  'item_distinct_users_log',
  'item_ctr',
  'item_hours_since_last_event',
  'item_price_log',
  // user × item
  'cross_tag_affinity',
  'cross_industry_affinity',
  'cross_price_bucket_affinity',
  'cross_price_ratio',
  'cross_cooccurrence_max',
  'cross_transition_max',
] as const;
export type RankingFeature = (typeof RANKING_FEATURES)[number];

const known: ReadonlySet<string> = new Set(RANKING_FEATURES);

export function isRankingFeature(name: string): name is RankingFeature {
  return known.has(name);
}
