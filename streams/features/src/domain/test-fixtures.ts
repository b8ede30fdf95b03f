export { itemContext, streamContext, userContext } from '@streamrec/streams-common/testing';
import { interactionFixture } from '@streamrec/streams-common/testing';
import type { Interaction } from '@streamrec/schemas';
import type { ItemInfo, ItemInfoLookup } from '@streamrec/streams-common';




export const NOV_25 = Date.UTC(2026, 10, 25, 10);

export function interaction(overrides: Partial<Interaction> = {}): Interaction {
  return interactionFixture({ event_id: 'matomo:lva:1', event_time: NOV_25, ...overrides });
}

export const weatherItem: ItemInfo = { industry: 'agriculture', tags: ['weather', 'daily', 'weather'], price: 120, available: true };

export function catalogue(items: Readonly<Record<number, ItemInfo>>): ItemInfoLookup {
  return (item) => items[Number(item)];
}
