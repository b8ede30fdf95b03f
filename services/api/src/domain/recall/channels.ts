/** Recall channels of the recommendation pipeline; the names appear in responses, exposures and experiment weights. */
export const Channel = {
  Transition: 'transition',
  Cooccurrence: 'cooccurrence',
  Tag: 'tag',
  Industry: 'industry',
  PriceBucket: 'price_bucket',
  SimilarUsers: 'similar_users',
  Content: 'content',
  Trending: 'trending',
  Popular: 'popular',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

export const CHANNELS: readonly Channel[] = Object.freeze(Object.values(Channel));

/** Fusion weight per channel; a missing channel weighs 0 (switched off). */
export type ChannelWeights = Readonly<Partial<Record<Channel, number>>>;
