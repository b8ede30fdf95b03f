/**
 * The features processor's public surface without I/O: its stage manifest and its read side — the
 * Redis keys it writes, how to decode and decay what it keeps, its parameters — for the API, the
 * replay job and the tests. The running process is `@streamrec/features/app`.
 */
export { FEATURES_TOPICS, ITEM_STAGE_FIELD, PROFILE_STAGE_FIELD, USER_STAGE_FIELD, featuresManifest, type FeaturesStage, type FeaturesTopic } from './manifest.js';
export { CtrField, ItemFacet, MetaField, ProfileField, UserFacet, itemFeatureKeys, popularityKey, userFeatureKeys, userProfileKey } from './domain/features-keys.js';
export { ACTION_WINDOW, ACTIVITY_WINDOWS, ActivityWindow, StatsField, actionField, eventsField } from './domain/activity-stats.js';
export { decayedAffinities, decayedAffinity, decayedPopularity, decayedStat, defaultCtrPrior, smoothedCtr, type CtrPrior, type DecayParams, type NamedScore } from './domain/read-side.js';
export { affinityDecay, defaultFeaturesParams, featuresParamsSchema, parseFeaturesParams, popularityDecay, type FeaturesParams } from './domain/features-params.js';
export { FREE_PRICE_BUCKET, priceBucket, priceBucketIndex, priceBucketIndexer, priceBucketLabels, priceBucketer, type PriceBucketer } from './domain/price-bucket.js';
