import { parseStateVersion, partitionForKey } from '@streamrec/shared';
import type { Interaction } from '@streamrec/schemas';
import type { PartitionContext, StreamContext } from '@streamrec/streams-common';

export const streamContext: StreamContext = { version: parseStateVersion('v1'), userPartitions: 6, itemPartitions: 6 };
export const HOUR = 3_600_000;
export const T0 = Date.UTC(2026, 10, 25, 9);

export function userContext(userId: string): PartitionContext {
  return { ...streamContext, partition: partitionForKey(userId, streamContext.userPartitions) };
}

export function itemContext(itemId: string): PartitionContext {
  return { ...streamContext, partition: partitionForKey(itemId, streamContext.itemPartitions) };
}

/** `count` user ids that events.interactions.v1 puts on `partition`. */
export function usersOnPartition(partition: number, count: number): string[] {
  const users: string[] = [];
  for (let id = 1; users.length < count; id += 1) if (partitionForKey(String(id), 6) === partition) users.push(String(id));
  return users;
}

export function interaction(overrides: Partial<Interaction> = {}): Interaction {
  const eventTime = overrides.event_time ?? T0;
  return {
    event_id: 'e1',
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
