import { OpKind, type StateOp } from '@streamrec/foundation';
import type { Interaction } from '@streamrec/schemas';
import {
  isStitchedEvent,
  userEventGuardId,
  DedupStage,
  ItemActivityKind,
  assertEventTimeNotAhead,
  assertOwned,
  dedupOp,
  forwardDecayedIncrement,
  itemIdOf,
  keyedItemActivity,
  recentItemsOps,
  userIdOf,
  userKey,
  userPartition,
  type ActivityRecord,
  type ItemInfo,
  type ItemInfoLookup,
  type KeyedItemActivity,
  type PartitionContext,
  type UserId,
} from '@streamrec/streams-common';
import { MetaField, UserFacet } from './features-keys.js';
import { affinityDecay, type FeaturesParams } from './features-params.js';
import { priceBucket } from './price-bucket.js';
import { activityStatsOps, priceStatsOps, statsOpsInOneRun, utcDay } from './activity-stats.js';

export interface FeaturesUserResult {
  /** User-level ops, in the slot of the interaction's partition; apply with the record's offset. */
  readonly ops: StateOp[];
  /** Produce (and await) before applying `ops`: a crash in between repeats them, never loses them. */
  readonly repartition: KeyedItemActivity[];
}

/**
 * Features' user stage: one events.interactions.v1 record → user features + one activity record for
 * the item's owner. Needs no state read: every op is an increment, a max or a bounded insert.
 */
export function featuresUserStage(interaction: Interaction, context: PartitionContext, params: FeaturesParams, itemInfo: ItemInfoLookup): FeaturesUserResult {
  const user = userIdOf(interaction.user_id);
  assertOwned(context, userPartition(context, user), `user ${user}`);
  assertEventTimeNotAhead(interaction.event_time, interaction.ingest_time, params.eventTime);
  const item = itemIdOf(interaction.item_id);
  const eventTime = interaction.event_time;
  const info = itemInfo(item, eventTime);
  const key = (facet: UserFacet): string => userKey(context, user, facet);

  const ops: StateOp[] = [
    dedupOp(context, context.partition, DedupStage.FeaturesUser, userEventGuardId(interaction.user_id, interaction.event_id), eventTime, params.dedup),
    { kind: OpKind.HIncrBy, key: key(UserFacet.Counts), field: interaction.action, by: 1 },
    { kind: OpKind.HSetMax, key: key(UserFacet.Meta), field: MetaField.LastEventMs, value: eventTime },
    ...recentItemsOps(key(UserFacet.Recent), { item, eventTime }, { maxItems: params.recentItems }),
  ];
  if (interaction.action === 'purchase') ops.push(...recentItemsOps(key(UserFacet.Purchased), { item, eventTime }, { maxItems: params.purchasedItems }));
  const stats = activityStatsOps(key(UserFacet.Stats), interaction.action, eventTime);
  if (info !== undefined) stats.push(...priceStatsOps(key(UserFacet.Stats), interaction.action, info.price));
  ops.push(...statsOpsInOneRun(stats));
  ops.push({ kind: OpKind.PfAdd, key: key(UserFacet.Days), element: String(utcDay(eventTime)) });
  if (interaction.session_id !== null && interaction.session_id !== '') ops.push({ kind: OpKind.PfAdd, key: key(UserFacet.Sessions), element: interaction.session_id });
  if (info !== undefined) {
    const increment = forwardDecayedIncrement(params.actionWeights[interaction.action], eventTime, affinityDecay(params));
    ops.push(...affinityOps(context, user, info, increment, params));
  }

  const activity: ActivityRecord = {
    kind: ItemActivityKind.Activity,
    dedupId: `activity:${interaction.event_id}`,
    item,
    eventTime,
    eventId: interaction.event_id,
    user,
    action: interaction.action,
    requestId: interaction.request_id,
    catalogued: info !== undefined,
    industry: info?.industry ?? null,
    tags: info === undefined ? [] : uniqueTags(info.tags),
  };
  // A stitched copy joins the user's history; the item counted the anonymous original already.
  return { ops, repartition: isStitchedEvent(interaction.event_id) ? [] : [keyedItemActivity(context, activity)] };
}

/**
 * One interaction moves `increment` of preference: split evenly over the item's tags (an item with
 * many tags does not outweigh one with few), whole to its industry and to its price bucket.
 */
function affinityOps(context: PartitionContext, user: UserId, info: ItemInfo, increment: number, params: FeaturesParams): StateOp[] {
  const ops: StateOp[] = [];
  const tags = uniqueTags(info.tags);
  if (tags.length > 0) {
    const tagKey = userKey(context, user, UserFacet.TagAffinity);
    for (const tag of tags) ops.push({ kind: OpKind.ZIncrBy, key: tagKey, member: tag, by: increment / tags.length });
    ops.push({ kind: OpKind.ZKeepTop, key: tagKey, count: params.maxTagsPerUser });
  }
  if (info.industry !== null && info.industry !== '') {
    ops.push({ kind: OpKind.ZIncrBy, key: userKey(context, user, UserFacet.IndustryAffinity), member: info.industry, by: increment });
  }
  const bucket = priceBucket(info.price, params.priceBucketBounds);
  if (bucket !== undefined) ops.push({ kind: OpKind.ZIncrBy, key: userKey(context, user, UserFacet.PriceAffinity), member: bucket, by: increment });
  return ops;
}

function uniqueTags(tags: readonly string[]): string[] {
  return [...new Set(tags.filter((tag) => tag !== ''))];
}
