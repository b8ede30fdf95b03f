import type { Redis } from 'ioredis';
import { itemIdOf, userIdOf, userKey, type ItemId, type StreamContext, type UserId } from '@streamrec/streams-common';
import { neighbourKeys } from '@streamrec/cooccurrence';
import { CtrField, MetaField, ProfileField, UserFacet, itemFeatureKeys, userFeatureKeys, userProfileKey } from '@streamrec/features';
import { decayedAffinities, type DecayParams } from '@streamrec/features';
import { unknownItemStats, type ItemStats, type ItemStatsLookup } from '../domain/ranking/item-stats.js';
import type { NeighbourReplies } from '../domain/recall/recall.js';
import type { RecentItem, ShopAccount, UserProfile } from '../domain/serving/user-profile.js';
import { asNumber, asStrings, execPipeline, numericHash } from './redis-pipeline.js';
import { SharedStateCache } from './shared-state-cache.js';

export interface StateReadDepths {
  /** Recent items read per user (the seeds are the newest of these). */
  readonly recentItems: number;
  readonly purchasedItems: number;
  readonly affinities: number;
  /** Members read per neighbour list (cooc, trans) and per item's recent users. */
  readonly neighbours: number;
  readonly recentUsers: number;
  /** Recent items read per similar user. */
  readonly similarUserItems: number;
}

export interface RedisStateReaderOptions {
  /** The active state version's context (the API follows `sr:active-version`). */
  readonly context: () => StreamContext;
  readonly decay: DecayParams;
  readonly depths: StateReadDepths;
  readonly clock: () => number;
  /** Item features are shared by every user: kept this long in memory, so one request reads only the misses. */
  readonly itemStatsTtlMs: number;
  readonly itemStatsCacheSize: number;
  /** Neighbour lists (co-occurrence, transitions, recent users) of an item, shared by every user the same way. */
  readonly neighboursTtlMs: number;
  /** Partitions of events.users.v1: where the features processor keeps shop profiles. */
  readonly usersPartitions: number;
}

export interface RedisStateReader {
  readProfile(user: UserId): Promise<UserProfile>;
  readNeighbours(seeds: readonly ItemId[]): Promise<NeighbourReplies>;
  readUsersRecent(users: readonly UserId[]): Promise<ReadonlyMap<UserId, readonly string[]>>;
  readItemStats(items: readonly ItemId[]): Promise<ItemStatsLookup>;
}

/** Replies per item in `readItemStats`'s pipeline. */
const ITEM_REPLIES = 6;

function shopAccount(reply: unknown): ShopAccount | null {
  if (reply === null || typeof reply !== 'object') return null;
  const fields = reply as Record<string, string | undefined>;
  if (Object.keys(fields).length === 0) return null;
  const text = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);
  const createdAt = Number(fields[ProfileField.CreatedAtMs]);
  return { industry: text(fields[ProfileField.Industry]), country: text(fields[ProfileField.Country]), createdAtMs: Number.isFinite(createdAt) && createdAt > 0 ? createdAt : null };
}

function recentItems(flat: readonly string[]): RecentItem[] {
  const items: RecentItem[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) items.push({ item: itemIdOf(flat[index] ?? ''), timeMs: Number(flat[index + 1]) });
  return items;
}

/** The request-time reads of the processors' state, each one pipelined round trip (README: Redis reads). */
export function createRedisStateReader(redis: Redis, options: RedisStateReaderOptions): RedisStateReader {
  const { depths } = options;
  const statsCache = new SharedStateCache<ItemId, ItemStats>(options.itemStatsTtlMs, options.itemStatsCacheSize);
  const neighbourCache = new SharedStateCache<ItemId, { cooccurrence: readonly string[]; transition: readonly string[]; recentUsers: readonly string[] }>(
    options.neighboursTtlMs,
    options.itemStatsCacheSize,
  );

  return {
    async readProfile(user) {
      const context = options.context();
      const keys = userFeatureKeys(context, user);
      const pipeline = redis.pipeline();
      pipeline.zrevrange(keys.recent, 0, depths.recentItems - 1, 'WITHSCORES');
      pipeline.zrange(keys.purchased, 0, depths.purchasedItems - 1);
      pipeline.zrevrange(keys['tag-affinity'], 0, depths.affinities - 1, 'WITHSCORES');
      pipeline.zrevrange(keys['industry-affinity'], 0, depths.affinities - 1, 'WITHSCORES');
      pipeline.zrevrange(keys['price-affinity'], 0, depths.affinities - 1, 'WITHSCORES');
      pipeline.hgetall(keys.counts);
      pipeline.hget(keys.meta, MetaField.LastEventMs);
      pipeline.hgetall(keys.stats);
      pipeline.pfcount(keys.days);
      pipeline.pfcount(keys.sessions);
      pipeline.hgetall(userProfileKey(context, options.usersPartitions, user));
      const [recent, purchased, tags, industries, prices, counts, lastEvent, stats, days, sessions, account] = await execPipeline(pipeline, 'reading the user profile');
      const nowMs = options.clock();
      return {
        user,
        recent: recentItems(asStrings(recent)),
        purchased: new Set(asStrings(purchased).map((item) => itemIdOf(item))),
        tagAffinity: decayedAffinities(asStrings(tags), nowMs, options.decay).map(({ name, value }) => ({ name, value })),
        industryAffinity: decayedAffinities(asStrings(industries), nowMs, options.decay).map(({ name, value }) => ({ name, value })),
        priceAffinity: decayedAffinities(asStrings(prices), nowMs, options.decay).map(({ name, value }) => ({ name, value })),
        counts: numericHash(counts),
        lastEventMs: lastEvent === null || lastEvent === undefined ? null : asNumber(lastEvent),
        stats: numericHash(stats),
        activeDays: asNumber(days),
        sessions: asNumber(sessions),
        account: shopAccount(account),
      };
    },

    async readNeighbours(seeds) {
      const context = options.context();
      const nowMs = options.clock();
      const { found, misses } = neighbourCache.lookup(context.version, seeds, nowMs);
      if (misses.length > 0) {
        const pipeline = redis.pipeline();
        for (const seed of misses) {
          const keys = neighbourKeys(context, seed);
          pipeline.zrevrange(keys.cooc, 0, depths.neighbours - 1, 'WITHSCORES');
          pipeline.zrevrange(keys.trans, 0, depths.neighbours - 1, 'WITHSCORES');
          pipeline.zrevrange(keys['recent-users'], 0, depths.recentUsers - 1);
        }
        const replies = await execPipeline(pipeline, 'reading neighbour lists');
        misses.forEach((seed, index) => {
          const lists = { cooccurrence: asStrings(replies[index * 3]), transition: asStrings(replies[index * 3 + 1]), recentUsers: asStrings(replies[index * 3 + 2]) };
          found.set(seed, lists);
          neighbourCache.store(seed, lists, nowMs);
        });
      }
      const cooccurrence = new Map<ItemId, readonly string[]>();
      const transition = new Map<ItemId, readonly string[]>();
      const recentUsers = new Map<ItemId, readonly string[]>();
      for (const seed of seeds) {
        const lists = found.get(seed);
        if (lists === undefined) continue;
        cooccurrence.set(seed, lists.cooccurrence);
        transition.set(seed, lists.transition);
        recentUsers.set(seed, lists.recentUsers);
      }
      return { cooccurrence, transition, recentUsers };
    },

    async readUsersRecent(users) {
      const context = options.context();
      const pipeline = redis.pipeline();
      for (const user of users) pipeline.zrevrange(userKey(context, user, UserFacet.Recent), 0, depths.similarUserItems - 1);
      const replies = await execPipeline(pipeline, 'reading similar users');
      return new Map(users.map((user, index) => [userIdOf(user), asStrings(replies[index])]));
    },

    async readItemStats(items) {
      const context = options.context();
      const nowMs = options.clock();
      const { found, misses } = statsCache.lookup(context.version, items, nowMs);
      if (misses.length > 0) {
        const pipeline = redis.pipeline();
        for (const item of misses) {
          const keys = itemFeatureKeys(context, item);
          pipeline.zscore(keys.popularity, item);
          pipeline.hgetall(keys.counts);
          pipeline.pfcount(keys.users);
          pipeline.hmget(keys.ctr, CtrField.Clicks, CtrField.Exposures);
          pipeline.hget(keys.meta, MetaField.LastEventMs);
          pipeline.hgetall(keys.stats);
        }
        const replies = await execPipeline(pipeline, 'reading item features');
        misses.forEach((item, index) => {
          const at = index * ITEM_REPLIES;
          const ctr = asStrings(replies[at + 3]);
          const last = replies[at + 4];
          const stats: ItemStats = {
            popularityRaw: asNumber(replies[at]),
            counts: numericHash(replies[at + 1]),
            distinctUsers: asNumber(replies[at + 2]),
            ctrClicks: asNumber(ctr[0]),
            ctrExposures: asNumber(ctr[1]),
            lastEventMs: last === null || last === undefined ? null : asNumber(last),
            stats: numericHash(replies[at + 5]),
          };
          found.set(item, stats);
          statsCache.store(item, stats, nowMs);
        });
      }
      return (item) => found.get(item) ?? unknownItemStats;
    },
  };
}
