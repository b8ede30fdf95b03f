import { parseStateVersion, partitionForKey } from '@streamrec/foundation';
import type { Interaction } from '@streamrec/schemas';
import type { PartitionContext, StreamContext } from '../domain/stream-context.js';

/** The stream context of the project's topics (6 user and 6 item partitions) under state version v1. */
export const streamContext: StreamContext = { version: parseStateVersion('v1'), userPartitions: 6, itemPartitions: 6 };

export function userContext(userId: string): PartitionContext {
  return { ...streamContext, partition: partitionForKey(userId, streamContext.userPartitions) };
}

export function itemContext(itemId: string): PartitionContext {
  return { ...streamContext, partition: partitionForKey(itemId, streamContext.itemPartitions) };
}

/** A valid events.interactions.v1 value: a view of item 7 by user 42, ingested a second after its event time. */
export function interactionFixture(overrides: Partial<Interaction> & Pick<Interaction, 'event_id' | 'event_time'>): Interaction {
  return {
    user_id: '42',
    visitor_id: null,
    item_id: 7,
    action: 'view',
    source: 'matomo',
    session_id: null,
    price: null,
    quantity: null,
    request_id: null,
    ingest_time: overrides.event_time + 1_000,
    ...overrides,
  };
}
