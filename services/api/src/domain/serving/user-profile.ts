import type { ItemId, UserId } from '@streamrec/streams-common';

export interface RecentItem {
  readonly item: ItemId;
  readonly timeMs: number;
}

export interface Affinity {
  readonly name: string;
  /** Decayed to the request time. */
  readonly value: number;
}

/** What the API knows about a user at request time, from the features processor's state. */
export interface UserProfile {
  readonly user: UserId;
  /** Newest first. */
  readonly recent: readonly RecentItem[];
  readonly purchased: ReadonlySet<ItemId>;
  /** Strongest first. */
  readonly tagAffinity: readonly Affinity[];
  readonly industryAffinity: readonly Affinity[];
  readonly priceAffinity: readonly Affinity[];
  /** action → count */
  readonly counts: Readonly<Record<string, number>>;
  /** Event time of the newest event applied for this user; null for an unknown user. */
  readonly lastEventMs: number | null;
  /** The features processor's `stats` hash: decayed counts (with their `@t`), first event, price sums. */
  readonly stats: Readonly<Record<string, number>>;
  /** Distinct days with an event, and distinct sessions (HyperLogLog estimates). */
  readonly activeDays: number;
  readonly sessions: number;
  /** The shop account (events.users.v1); null for an anonymous visitor or an unknown user. */
  readonly account: ShopAccount | null;
}

export interface ShopAccount {
  readonly industry: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string | null;
  readonly createdAtMs: number | null;
}

export function emptyProfile(user: UserId): UserProfile {
  return { user, recent: [], purchased: new Set(), tagAffinity: [], industryAffinity: [], priceAffinity: [], counts: {}, lastEventMs: null, stats: {}, activeDays: 0, sessions: 0, account: null };
}

export function interactionCount(profile: UserProfile): number {
  let total = 0;
  for (const count of Object.values(profile.counts)) total += count;
  return total;
}

/**
 * Recency weights of the user's recent items as recall seeds: the newest counts 1, each older one
 * `decay` times the previous (what the user does now says more than what they did 20 clicks ago).
 */
export function recencySeeds(profile: UserProfile, maxSeeds: number, decay: number): { item: ItemId; weight: number }[] {
  return profile.recent.slice(0, maxSeeds).map(({ item }, rank) => ({ item, weight: decay ** rank }));
}
