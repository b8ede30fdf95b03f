import type { ItemId, UserId } from '@streamrec/streams-common';
import { userIdOf } from '@streamrec/streams-common';
import { itemToItemCandidates, similarUsers, type ScoredUser } from '@streamrec/cooccurrence';
import { Channel } from './channels.js';
import type { ChannelLists } from '../fusion/fusion.js';
import type { PopularSnapshot } from './popular-snapshot.js';
import { topByScore } from '@streamrec/foundation';
import type { ScoredItem, WeightedSeed } from '../serving/ports.js';
import type { Affinity, UserProfile } from '../serving/user-profile.js';

/** Neighbour lists read for the seeds (`ZREVRANGE … WITHSCORES` replies by seed). */
export interface NeighbourReplies {
  readonly cooccurrence: ReadonlyMap<ItemId, readonly string[]>;
  readonly transition: ReadonlyMap<ItemId, readonly string[]>;
  /** `ZREVRANGE item:<i>:recent-users 0 n` (members only) per seed. */
  readonly recentUsers: ReadonlyMap<ItemId, readonly string[]>;
}

export interface RecallLimits {
  /** Candidates kept from each channel (0: the channel is skipped). */
  readonly perChannel: (channel: Channel) => number;
  readonly topAffinities: number;
}

export interface RecallInputs {
  readonly profile: UserProfile;
  readonly seeds: readonly WeightedSeed[];
  readonly neighbours: NeighbourReplies | undefined;
  /** Similar users' recent items (`ZREVRANGE user:<u>:recent 0 n`, members newest first). */
  readonly similarUsersRecent: ReadonlyMap<UserId, readonly string[]> | undefined;
  readonly similar: readonly ScoredUser[];
  readonly content: readonly ScoredItem[];
  readonly snapshot: PopularSnapshot;
  readonly eligible: (item: ItemId) => boolean;
  readonly limits: RecallLimits;
}

/** Who to read recent items of for UserCF: users sharing the user's recent items, Adamic–Adar weighted. */
export function pickSimilarUsers(profile: UserProfile, neighbours: NeighbourReplies | undefined, limit: number): ScoredUser[] {
  if (neighbours === undefined) return [];
  return similarUsers(profile.user, neighbours.recentUsers, limit);
}

/** Every channel's candidate list for one request; channels whose inputs are missing are simply absent. */
export function recallChannels(inputs: RecallInputs): ChannelLists {
  const { limits, eligible } = inputs;
  const depth = limits.perChannel;
  const itemToItem = (replies: ReadonlyMap<ItemId, readonly string[]>, channel: Channel): ScoredItem[] =>
    itemToItemCandidates(inputs.seeds, replies, { exclude: new Set<ItemId>(), isAvailable: eligible, limit: depth(channel) });
  const lists: Partial<Record<Channel, readonly ScoredItem[]>> = {};
  if (inputs.neighbours !== undefined && inputs.seeds.length > 0) {
    lists[Channel.Cooccurrence] = itemToItem(inputs.neighbours.cooccurrence, Channel.Cooccurrence);
    lists[Channel.Transition] = itemToItem(inputs.neighbours.transition, Channel.Transition);
  }
  if (inputs.similarUsersRecent !== undefined) {
    lists[Channel.SimilarUsers] = similarUserItems(inputs.similar, inputs.similarUsersRecent, inputs.seeds, eligible, depth(Channel.SimilarUsers));
  }
  if (inputs.content.length > 0) lists[Channel.Content] = inputs.content.filter(({ item }) => eligible(item)).slice(0, depth(Channel.Content));
  const { snapshot, profile } = inputs;
  lists[Channel.Tag] = affinityList(profile.tagAffinity, snapshot.byTag, depth(Channel.Tag), limits.topAffinities, eligible);
  lists[Channel.Industry] = affinityList(profile.industryAffinity, snapshot.byIndustry, depth(Channel.Industry), limits.topAffinities, eligible);
  lists[Channel.PriceBucket] = affinityList(profile.priceAffinity, snapshot.byPriceBucket, depth(Channel.PriceBucket), limits.topAffinities, eligible);
  lists[Channel.Trending] = topEligible(snapshot.trending, eligible, depth(Channel.Trending));
  lists[Channel.Popular] = topEligible(snapshot.popular, eligible, depth(Channel.Popular));
  return lists;
}

/** Items similar users touched lately: each worth its user's similarity, newer items a little more. */
export function similarUserItems(
  similar: readonly ScoredUser[],
  recentOf: ReadonlyMap<UserId, readonly string[]>,
  seeds: readonly WeightedSeed[],
  eligible: (item: ItemId) => boolean,
  limit: number,
): ScoredItem[] {
  const own = new Set(seeds.map(({ item }) => item));
  const scores = new Map<ItemId, number>();
  for (const { user, score } of similar) {
    const items = recentOf.get(userIdOf(user)) ?? [];
    items.forEach((member, rank) => {
      const item = member as ItemId;
      if (own.has(item) || !eligible(item)) return;
      scores.set(item, (scores.get(item) ?? 0) + score * 0.9 ** rank);
    });
  }
  return topScored(scores, limit);
}

/**
 * Affinity channels: the popular items of the user's strongest tags (industries, price buckets), each
 * list's items scaled by that name's share of the user's affinity and by their rank in the list.
 */
export function affinityList(
  affinities: readonly Affinity[],
  lists: Readonly<Record<string, readonly ScoredItem[]>>,
  limit: number,
  topAffinities: number,
  eligible: (item: ItemId) => boolean,
): ScoredItem[] {
  if (limit <= 0) return [];
  const top = affinities.slice(0, topAffinities).filter(({ value }) => value > 0);
  const total = top.reduce((sum, { value }) => sum + value, 0);
  if (!(total > 0)) return [];
  const scores = new Map<ItemId, number>();
  for (const { name, value } of top) {
    const list = lists[name];
    if (list === undefined) continue;
    const best = list[0]?.score ?? 0;
    if (!(best > 0)) continue;
    let taken = 0;
    for (const { item, score } of list) {
      if (taken >= limit) break;
      if (!eligible(item)) continue;
      taken += 1;
      scores.set(item, (scores.get(item) ?? 0) + (value / total) * (score / best));
    }
  }
  return topScored(scores, limit);
}

/** The `limit` best of `scores` in `byScoreThenId` order, without sorting all of them. */
function topScored(scores: ReadonlyMap<ItemId, number>, limit: number): ScoredItem[] {
  return topByScore(scores, limit).map(([item, score]) => ({ item, score }));
}

function topEligible(list: readonly ScoredItem[], eligible: (item: ItemId) => boolean, limit: number): ScoredItem[] {
  const result: ScoredItem[] = [];
  for (const entry of list) {
    if (result.length >= limit) break;
    if (eligible(entry.item)) result.push(entry);
  }
  return result;
}
