import { OpKind, type StateOp } from '@streamrec/foundation';
import {
  DedupStage,
  ItemActivityKind,
  assertOwned,
  dedupOp,
  forwardDecayedIncrement,
  itemKey,
  itemPartition,
  type ItemActivityRecord,
  type PartitionContext,
} from '@streamrec/streams-common';
import { CtrField, ItemFacet, MetaField, popularityKey } from './features-keys.js';
import { popularityDecay, type FeaturesParams } from './features-params.js';
import { activityStatsOps } from './activity-stats.js';

/**
 * Features' item stage: one repartition.item-activity.v1 record → item features in the slot of the
 * item's partition. Activity: action counts, distinct users, decayed popularity, last activity and
 * the CTR numerator (clicks that came from a recommendation request). Exposure: the CTR denominator.
 * Unavailable or deleted (availability record): out of the popularity list. Co-item records belong to
 * the other processors.
 */
export function featuresItemStage(record: ItemActivityRecord, context: PartitionContext, params: FeaturesParams): StateOp[] {
  assertOwned(context, itemPartition(context, record.item), `item ${record.item}`);
  const key = (facet: ItemFacet): string => itemKey(context, record.item, facet);
  switch (record.kind) {
    case ItemActivityKind.Activity: {
      const ops: StateOp[] = [
        dedupOp(context, context.partition, DedupStage.FeaturesItem, record.dedupId, record.eventTime, params.dedup),
        { kind: OpKind.HIncrBy, key: key(ItemFacet.Counts), field: record.action, by: 1 },
        { kind: OpKind.PfAdd, key: key(ItemFacet.Users), element: record.user },
        {
          kind: OpKind.ZIncrBy,
          key: popularityKey(context, context.partition),
          member: record.item,
          by: forwardDecayedIncrement(params.actionWeights[record.action], record.eventTime, popularityDecay(params)),
        },
        { kind: OpKind.HSetMax, key: key(ItemFacet.Meta), field: MetaField.LastEventMs, value: record.eventTime },
        ...activityStatsOps(key(ItemFacet.Stats), record.action, record.eventTime),
      ];
      if (record.action === 'click' && record.requestId !== null) ops.push({ kind: OpKind.HIncrBy, key: key(ItemFacet.Ctr), field: CtrField.Clicks, by: 1 });
      return ops;
    }
    case ItemActivityKind.Exposure:
      return [
        dedupOp(context, context.partition, DedupStage.FeaturesItem, record.dedupId, record.eventTime, params.dedup),
        { kind: OpKind.HIncrBy, key: key(ItemFacet.Ctr), field: CtrField.Exposures, by: 1 },
      ];
    case ItemActivityKind.Availability:
      // An unavailable or deleted item leaves the popularity recall list at once (no reader-side filter
      // needed); later activity re-adds it, and a re-listed item starts again from its next event. Guarded
      // like every record: a re-sent removal (relay crash) must not remove the activity that came after it.
      if (record.available && !record.deleted) return [];
      return [
        dedupOp(context, context.partition, DedupStage.FeaturesItem, record.dedupId, record.eventTime, params.dedup),
        { kind: OpKind.ZRem, key: popularityKey(context, context.partition), member: record.item },
      ];
    case ItemActivityKind.CoItems:
      return [];
  }
}
