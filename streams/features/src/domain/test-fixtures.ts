import { parseStateVersion, partitionForKey } from '@streamrec/shared';
import type { Interaction } from '@streamrec/schemas';
import type { ItemInfo, ItemInfoLookup, PartitionContext, StreamContext } from '@streamrec/streams-common';

export const streamContext: StreamContext = { version: parseStateVersion('v1'), userPartitions: 6, itemPartitions: 6 };

export function userContext(userId: string): PartitionContext {
  return { ...streamContext, partition: partitionForKey(userId, streamContext.userPartitions) };
}

export function itemContext(itemId: string): PartitionContext {
  return { ...streamContext, partition: partitionForKey(itemId, streamContext.itemPartitions) };
}

export const NOV_25 = Date.UTC(2026, 10, 25, 10);

export function interaction(overrides: Partial<Interaction> = {}): Interaction {
  const eventTime = overrides.event_time ?? NOV_25;
  return {
    event_id: 'matomo:lva:1',
    user_id: '42',
    visitor_id: null,
    item_id: 7,
    action: 'view',
    event_time: eventTime,
    source: 'matomo',
    session_id: null,
    price: null,
    quantity: null,
    request_id: null,
    ingest_time: eventTime + 1_000,
    ...overrides,
  };
}

export const weatherItem: ItemInfo = { industry: 'agriculture', tags: ['weather', 'daily', 'weather'], price: 120, available: true };

export function catalogue(items: Readonly<Record<number, ItemInfo>>): ItemInfoLookup {
  return (item) => items[Number(item)];
}
