import type { ProcessorManifest } from '@streamrec/streams-common';

/** Offset field of the stateful stage: part of the stored state (never rename). */
export const ITEM_STAGE_FIELD = 'trending-item/repartition.item-activity.v1';

export const TRENDING_TOPICS = ['items', 'itemActivity'] as const;
export type TrendingTopic = (typeof TRENDING_TOPICS)[number];
export type TrendingStage = 'item' | 'catalogue';

/**
 * The trending processor: the item stage (item activity → hot-list buckets per window and scope)
 * and the catalogue relay (events.items.v1 → availability records on the repartition topic, so a
 * delisted item leaves the hot lists of its own partition's owner).
 */
export const trendingManifest: ProcessorManifest<TrendingStage, TrendingTopic> = {
  processor: 'trending',
  envPrefix: 'TRENDING',
  metricsPort: 19_104,
  topicNames: TRENDING_TOPICS,
  stages: [
    { name: 'catalogue', input: 'items', phase: 'source', offsetField: null },
    { name: 'item', input: 'itemActivity', phase: 'repartition', offsetField: ITEM_STAGE_FIELD },
  ],
};
