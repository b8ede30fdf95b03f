import { AppError, ErrorCode, topByScore } from '@streamrec/foundation';
import { itemIdOf, userIdOf, type ItemId, type ScoredItem, type UserId } from '@streamrec/streams-common';

/**
 * Read-side helpers for services/api. Replies are `ZREVRANGE key 0 n-1 [WITHSCORES]` of the keys in
 * cooccurrence-keys.ts (each on its item's slot; the API pipelines them, cross-slot reads are fine).
 */
export interface ScoredUser {
  readonly user: UserId;
  readonly score: number;
}

export interface Seed {
  readonly item: ItemId;
  /** How much this seed counts, e.g. the user's recency rank or action weight. */
  readonly weight: number;
}

export interface CandidateFilter {
  /** Already seen or purchased items, and the seeds themselves, are never candidates. */
  readonly exclude: ReadonlySet<ItemId>;
  /** The API's catalogue: unavailable and deleted items left in other items' sets are dropped here. */
  readonly isAvailable: (item: ItemId) => boolean;
  readonly limit: number;
}

function pairs(flat: readonly string[]): [string, number][] {
  if (flat.length % 2 !== 0) throw new AppError(ErrorCode.InvalidArgument, 'WITHSCORES reply must have an even length');
  const result: [string, number][] = [];
  for (let index = 0; index < flat.length; index += 2) result.push([flat[index] ?? '', Number(flat[index + 1])]);
  return result;
}

/**
 * Item-to-item recall from a user's recent items: each seed's neighbour list (cooc or trans) is
 * scaled so its best neighbour scores the seed's weight (raw forward-decayed scores share one factor
 * per list, so this is also the decayed ratio), then summed per candidate.
 */
export function itemToItemCandidates(seeds: readonly Seed[], neighbourReplies: ReadonlyMap<ItemId, readonly string[]>, filter: CandidateFilter): ScoredItem[] {
  const seedItems = new Set(seeds.map((seed) => seed.item));
  const scores = new Map<ItemId, number>();
  for (const seed of seeds) {
    const neighbours = pairs(neighbourReplies.get(seed.item) ?? []);
    const best = neighbours[0]?.[1] ?? 0;
    if (!(best > 0)) continue;
    for (const [member, raw] of neighbours) {
      const item = itemIdOf(member);
      if (seedItems.has(item) || filter.exclude.has(item) || !filter.isAvailable(item)) continue;
      scores.set(item, (scores.get(item) ?? 0) + (seed.weight * raw) / best);
    }
  }
  return topByScore(scores, filter.limit).map(([item, score]) => ({ item, score }));
}

/**
 * Similar users for UserCF, computed at read time from the item → recent-users index: users who
 * recently touched the same items as `self`, each shared item worth 1/log2(2 + its user count)
 * (Adamic–Adar: a niche dataset in common says more than a bestseller). `recentUsers` holds the
 * `ZREVRANGE item:<i>:recent-users 0 -1` reply of each of self's recent items.
 */
export function similarUsers(self: UserId, recentUsers: ReadonlyMap<ItemId, readonly string[]>, limit: number): ScoredUser[] {
  const scores = new Map<UserId, number>();
  for (const users of recentUsers.values()) {
    const share = 1 / Math.log2(2 + users.length);
    for (const member of users) {
      const user = userIdOf(member);
      if (user !== self) scores.set(user, (scores.get(user) ?? 0) + share);
    }
  }
  return topByScore(scores, limit).map(([user, score]) => ({ user, score }));
}
