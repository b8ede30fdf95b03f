import type { RankingFeature } from '@streamrec/ranking';

/**
 * The hand-weighted linear ranker that serves until a trained one is published: it prefers what the
 * user's own behaviour points at (transitions from and co-occurrence with their recent items, content
 * similarity), the fused recall score, items that convert when shown (CTR) and the user's affinity to the
 * item's tags/industry/price, with a little popularity as a tie-breaker. Channel scores, fused score, CTR
 * and affinities are in [0, 1]; the `_log` counts grow slowly, hence their small weights.
 */
export const BOOTSTRAP_WEIGHTS: Readonly<Partial<Record<RankingFeature, number>>> = {
  ch_transition: 1.2,
  ch_cooccurrence: 1.0,
  ch_content: 0.8,
  ch_similar_users: 0.6,
  ch_tag: 0.4,
  ch_industry: 0.3,
  ch_price_bucket: 0.2,
  ch_trending: 0.3,
  ch_popular: 0.15,
  fused_score: 1.5,
  channel_count: 0.15,
  item_ctr: 2.0,
  item_popularity_log: 0.08,
  cross_transition_max: 0.7,
  cross_cooccurrence_max: 0.6,
  cross_tag_affinity: 0.8,
  cross_industry_affinity: 0.5,
  cross_price_bucket_affinity: 0.3,
};

/** Puts an average candidate (a few channels at ~0.3) near the middle of the sigmoid. */
export const BOOTSTRAP_BIAS = -2.5;

export interface LinearWeights {
  readonly featureNames: string[];
  readonly weights: number[];
  readonly bias: number;
}

export function bootstrapLinearWeights(): LinearWeights {
  const entries = Object.entries(BOOTSTRAP_WEIGHTS).filter((entry): entry is [string, number] => entry[1] !== undefined);
  return { featureNames: entries.map(([name]) => name), weights: entries.map(([, weight]) => weight), bias: BOOTSTRAP_BIAS };
}
