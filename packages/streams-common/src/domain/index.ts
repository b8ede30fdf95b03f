export { actionWeightsSchema, interactionActions, type ActionWeights } from './action-weights.js';
export {
  DedupStage,
  createSeenSetModel,
  dedupOp,
  dedupParamsSchema,
  dedupReads,
  eventDay,
  seenRegistryKey,
  seenSetKey,
  seenToken,
  type DedupOp,
  type DedupParams,
  type DedupReads,
  type DedupSnapshot,
  type SeenSetModel,
} from './event-dedup.js';
export {
  DEFAULT_DECAY_EPOCH_MS,
  MAX_DECAY_EXPONENT,
  checkedDecayHorizonMs,
  decayHorizonMs,
  decayRatePerMs,
  decayedValue,
  forwardDecayFactor,
  forwardDecayedIncrement,
  rebaseForwardDecayed,
  type ForwardDecay,
} from './forward-decay.js';
export { STITCHED_EVENT_PREFIX, isStitchedEvent, itemIdOf, originalEventId, userEventGuardId, userIdOf, type ItemId, type ScoredItem, type UserId } from './ids.js';
export {
  ITEM_ACTIVITY_TOPIC,
  ITEM_ACTIVITY_TOPIC_CONFIG,
  itemActivityTopic,
  withItemActivityTopic,
  ItemActivityKind,
  keyedItemActivity,
  type ActivityRecord,
  type AvailabilityRecord,
  type CoItemNeighbour,
  type CoItemsRecord,
  type ExposureRecord,
  type ItemActivityRecord,
  type KeyedItemActivity,
} from './item-activity.js';
export { itemAttributes, type ItemAttributes, type ItemInfo, type ItemInfoLookup } from './item-catalogue.js';
export { compareRecentItems, nextRecentItems, parseRecentItems, recentItemsOps, type RecentItem, type RecentItemsParams } from './recent-items.js';
export { assertEventTimeNotAhead, eventTimeParamsSchema, type EventTimeParams } from './event-time.js';
export {
  assertOwned,
  itemKey,
  itemPartition,
  partitionKey,
  userKey,
  streamContextOf,
  userPartition,
  type PartitionContext,
  type StreamContext,
} from './stream-context.js';
export { CatalogueStore } from './catalogue-store.js';
export {
  StagePhase,
  processorGroupIds,
  stageGroupId,
  stageInputTopic,
  stageId,
  stageOf,
  stageProgress,
  stageSources,
  type ProcessorManifest,
  type StageManifest,
  type StageProgress,
  type StageSource,
} from './processor-manifest.js';
