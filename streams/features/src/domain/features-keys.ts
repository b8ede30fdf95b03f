import { ownedKey } from '@streamrec/foundation';
import { itemKey, itemPartition, partitionKey, userKey, type ItemId, type StreamContext, type UserId } from '@streamrec/streams-common';

/** Hashes and zsets features keeps per user, in the slot of the user's events.interactions.v1 partition. */
export const UserFacet = {
  /** hash action → count */
  Counts: 'counts',
  /** hash last_event_ms */
  Meta: 'meta',
  /** zset item → newest event time, newest `recentItems` */
  Recent: 'recent',
  /** zset item → newest purchase time, newest `purchasedItems` (the API never recommends these again) */
  Purchased: 'purchased',
  /** zsets name → forward-decayed raw score */
  TagAffinity: 'tag-affinity',
  IndustryAffinity: 'industry-affinity',
  PriceAffinity: 'price-affinity',
  /** hash: decayed event counts (value + `@t`), first event time, price sums (activity-stats.ts) */
  Stats: 'stats',
  /** HyperLogLog of UTC day numbers with an event */
  Days: 'days',
  /** HyperLogLog of session ids (Matomo visits, storefront sessions) */
  Sessions: 'sessions',
} as const;
export type UserFacet = (typeof UserFacet)[keyof typeof UserFacet];

/** Per item, in the slot of the item's repartition.item-activity.v1 partition. */
export const ItemFacet = {
  /** hash action → count */
  Counts: 'counts',
  /** hash last_event_ms */
  Meta: 'meta',
  /** HyperLogLog of distinct users */
  Users: 'users',
  /** hash clicks (from a recommendation request), exposures */
  Ctr: 'ctr',
  /** hash: decayed event counts (value + `@t`), first event time (activity-stats.ts) */
  Stats: 'stats',
} as const;
export type ItemFacet = (typeof ItemFacet)[keyof typeof ItemFacet];

export const MetaField = { LastEventMs: 'last_event_ms' } as const;
export const CtrField = { Clicks: 'clicks', Exposures: 'exposures' } as const;

/** Per item partition: zset item → forward-decayed popularity (raw); readers merge the partitions. */
export function popularityKey(context: Pick<StreamContext, 'version'>, partition: number): string {
  return partitionKey(context, partition, 'popularity', 'all', 'decayed');
}

/**
 * The shop profile of a user (events.users.v1: industry, country, created_at), owned by the partition of
 * that compacted topic (`usersPartitions`, not the interactions' count): the profile stage writes it in
 * its own partition's slot with its own offset, and readers compute the key with the same count.
 */
export function userProfileKey(context: Pick<StreamContext, 'version'>, usersPartitions: number, user: UserId): string {
  return ownedKey(context.version, usersPartitions, 'user', user, 'profile');
}

export const ProfileField = { Industry: 'industry', Country: 'country', CreatedAtMs: 'created_at_ms', SourceVersion: 'source_version' } as const;

export function userFeatureKeys(context: StreamContext, user: UserId): Record<UserFacet, string> {
  const entries = Object.values(UserFacet).map((facet) => [facet, userKey(context, user, facet)] as const);
  return Object.fromEntries(entries) as Record<UserFacet, string>;
}

export function itemFeatureKeys(context: StreamContext, item: ItemId): Record<ItemFacet | 'popularity', string> {
  const entries = Object.values(ItemFacet).map((facet) => [facet, itemKey(context, item, facet)] as const);
  return { ...(Object.fromEntries(entries) as Record<ItemFacet, string>), popularity: popularityKey(context, itemPartition(context, item)) };
}
