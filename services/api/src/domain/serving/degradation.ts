/**
 * Why an answer is not the full path's answer. Every reason is counted
 * (`recommendation_degraded_total{reason}`) and logged on the exposure.
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
