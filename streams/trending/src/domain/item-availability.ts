import type { ItemChange } from '@streamrec/schemas';
import { ItemActivityKind, itemIdOf, keyedItemActivity, type KeyedItemActivity, type StreamContext } from '@streamrec/streams-common';

/**
 * The catalogue relay (runs in the trending processor, its own consumer group on events.items.v1):
 * an item that became unavailable or was deleted is announced on repartition.item-activity.v1,
 * keyed by the item, so its owner removes it from the state it owns, in order with its activity.
 * Available items produce nothing. Re-delivered or out-of-order changes are harmless: removal is
 * idempotent, and readers check availability against the API's versioned catalogue.
 */
export function availabilityRecordFor(change: ItemChange, context: StreamContext): KeyedItemActivity | undefined {
  if (change.available && !change.deleted) return undefined;
  const item = itemIdOf(change.id);
  return keyedItemActivity(context, {
    kind: ItemActivityKind.Availability,
    dedupId: `availability:${item}:${change.source_version}`,
    item,
    eventTime: change.updated_at,
    available: change.available,
    deleted: change.deleted,
    industry: change.industry,
    tags: change.tags,
    sourceVersion: change.source_version,
  });
}
