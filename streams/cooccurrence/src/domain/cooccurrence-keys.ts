import { itemKey, userKey, type ItemId, type StreamContext, type UserId } from '@streamrec/streams-common';

/** Per item, in the slot of the item's repartition partition. */
export const ItemFacet = {
  /** zset neighbour → forward-decayed co-occurrence weight (symmetric relation), top-K */
  Cooccurrence: 'cooc',
  /** zset next item → forward-decayed weight of "this item, then that one" (directed), top-K */
  Transition: 'trans',
  /** zset user → newest event time: who touched the item lately (similar-user index), capped */
  RecentUsers: 'recent-users',
} as const;
export type ItemFacet = (typeof ItemFacet)[keyof typeof ItemFacet];

/** Per user, in the slot of the user's interactions partition: zset item → newest event time. */
export const WINDOW_FACET = 'cooc-window';

export function windowKey(context: StreamContext, user: UserId): string {
  return userKey(context, user, WINDOW_FACET);
}

export function neighbourKeys(context: StreamContext, item: ItemId): Record<ItemFacet, string> {
  return {
    cooc: itemKey(context, item, ItemFacet.Cooccurrence),
    trans: itemKey(context, item, ItemFacet.Transition),
    'recent-users': itemKey(context, item, ItemFacet.RecentUsers),
  };
}
