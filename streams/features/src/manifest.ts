import type { ProcessorManifest } from '@streamrec/streams-common';

/** Offset fields of the stateful stages: part of the stored state (never rename). */
export const USER_STAGE_FIELD = 'features-user/events.interactions.v1';
export const ITEM_STAGE_FIELD = 'features-item/repartition.item-activity.v1';
export const PROFILE_STAGE_FIELD = 'features-profile/events.users.v1';

export const FEATURES_TOPICS = ['interactions', 'items', 'users', 'exposures', 'itemActivity'] as const;
export type FeaturesTopic = (typeof FEATURES_TOPICS)[number];
export type FeaturesStage = 'user' | 'item' | 'exposures' | 'profile';

/**
 * The features processor: the user stage (interactions → user features, and item activity to the
 * repartition topic), the item stage (item activity → item features) and the exposure relay
 * (exposures → item activity, the CTR denominators) and the profile stage (events.users.v1 → the shop
 * profile of each user, in the slot of that topic's partition). The catalogue (events.items.v1) is read into
 * memory by every instance, outside any group.
 */
export const featuresManifest: ProcessorManifest<FeaturesStage, FeaturesTopic> = {
  processor: 'features',
  envPrefix: 'FEATURES',
  metricsPort: 19_102,
  topicNames: FEATURES_TOPICS,
  stages: [
    { name: 'user', input: 'interactions', phase: 'source', offsetField: USER_STAGE_FIELD },
    { name: 'exposures', input: 'exposures', phase: 'source', offsetField: null },
    { name: 'profile', input: 'users', phase: 'source', offsetField: PROFILE_STAGE_FIELD },
    { name: 'item', input: 'itemActivity', phase: 'repartition', offsetField: ITEM_STAGE_FIELD },
  ],
};
