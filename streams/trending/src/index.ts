/**
 * The trending processor's public surface without I/O: its stage manifest and its read side — hot-list
 * keys per window and scope and how to merge their replies — for the API, the replay job and the tests.
 * Reading hot lists from Redis is `@streamrec/trending/reader`; the running process `@streamrec/trending/app`.
 */
export { ITEM_STAGE_FIELD, TRENDING_TOPICS, trendingManifest, type TrendingStage, type TrendingTopic } from './manifest.js';
export { GLOBAL_SCOPE, clockField, clockKey, hotListKey, itemScopes, scopeId, type TrendingScope } from './domain/trending-keys.js';
export { hotListKeys, mergeHotList, type HotItem } from './domain/read-side.js';
export {
  TrendingWindow,
  bucketOf,
  defaultTrendingParams,
  keptBuckets,
  parseTrendingParams,
  trendingParamsSchema,
  trendingWindows,
  type TrendingParams,
  type WindowSpec,
} from './domain/trending-params.js';
