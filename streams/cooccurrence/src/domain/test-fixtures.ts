export { itemContext, streamContext, userContext } from '@streamrec/streams-common/testing';
import { interactionFixture } from '@streamrec/streams-common/testing';
import { partitionForKey } from '@streamrec/foundation';
import type { Interaction } from '@streamrec/schemas';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2026, 10, 25, 9);



/** `count` user ids that events.interactions.v1 puts on `partition`. */
export function usersOnPartition(partition: number, count: number): string[] {
  const users: string[] = [];
  for (let id = 1; users.length < count; id += 1) if (partitionForKey(String(id), 6) === partition) users.push(String(id));
  return users;
}

export function interaction(overrides: Partial<Interaction> = {}): Interaction {
  return interactionFixture({ event_id: 'e1', event_time: T0, ...overrides });
}
