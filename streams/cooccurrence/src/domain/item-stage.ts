import { OpKind, type StateOp } from '@streamrec/foundation';
import { DedupStage, ItemActivityKind, assertOwned, dedupOp, itemPartition, type ItemActivityRecord, type PartitionContext } from '@streamrec/streams-common';
import { neighbourKeys } from './cooccurrence-keys.js';
import type { CooccurrenceParams } from './cooccurrence-params.js';

/**
 * Cooccurrence's item stage: co-item records → increments of the item's neighbour zsets, each trimmed
 * to the top K in the same record (forward decay makes recent pairs outgrow old ones, so a new
 * neighbour can enter a full set); activity records → the item's recent users (similar-user index);
 * a deleted item → its own sets are dropped. Where it still appears in *other* items' sets (owned by
 * other partitions) readers filter it by availability.
 */
export function cooccurrenceItemStage(record: ItemActivityRecord, context: PartitionContext, params: CooccurrenceParams): StateOp[] {
  assertOwned(context, itemPartition(context, record.item), `item ${record.item}`);
  const keys = neighbourKeys(context, record.item);
  const dedup = (): StateOp[] => [dedupOp(context, context.partition, DedupStage.CooccurrenceItem, record.dedupId, record.eventTime, params.dedup)];
  switch (record.kind) {
    case ItemActivityKind.CoItems: {
      const ops = dedup();
      for (const neighbour of record.neighbours) {
        if (neighbour.item === record.item) continue;
        if (neighbour.cooccurrence > 0) ops.push({ kind: OpKind.ZIncrBy, key: keys.cooc, member: neighbour.item, by: neighbour.cooccurrence });
        if (neighbour.transition > 0) ops.push({ kind: OpKind.ZIncrBy, key: keys.trans, member: neighbour.item, by: neighbour.transition });
      }
      for (const key of [keys.cooc, keys.trans]) {
        if (ops.some((op) => op.kind === OpKind.ZIncrBy && op.key === key)) ops.push({ kind: OpKind.ZKeepTop, key, count: params.keepTopNeighbours });
      }
      return ops;
    }
    case ItemActivityKind.Activity:
      return [
        ...dedup(),
        { kind: OpKind.ZAddMax, key: keys['recent-users'], member: record.user, score: record.eventTime },
        { kind: OpKind.ZKeepTop, key: keys['recent-users'], count: params.recentUsersPerItem },
      ];
    case ItemActivityKind.Availability:
      // Guarded: a re-sent deletion (relay crash) must not delete the lists rebuilt after it.
      return record.deleted ? [...dedup(), ...Object.values(keys).map((key): StateOp => ({ kind: OpKind.Del, key }))] : [];
    case ItemActivityKind.Exposure:
      return [];
  }
}
