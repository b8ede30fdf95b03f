import type { Redis } from 'ioredis';
import { normalizeFieldNamesSubject, redisKeyRule, SCANNED_KEYS } from '../domain/redis-rules.js';
import type { ErasureSubjects } from '../domain/erasure-subjects.js';

/** What the sweep found (and removed, unless it only looked). */
export interface RedisSweep {
  /** Keys of the person (their features, windows, profile). */
  readonly keys: number;
  /** Members naming them in other keys (items' recent users, dedup seen-sets). */
  readonly members: number;
  /** Fields of normalize's state about them (visitor links, anonymous histories, orders, stitched ids). */
  readonly normalizeFields: number;
  /** Keys visited. */
  readonly scanned: number;
}

/** Normalize's hashes that can hold something about a person (normalizeFieldNamesSubject). */
const PERSONAL_NORMALIZE_STORES = new Set(['visitors', 'anonymousHistory', 'orders', 'emitted', 'versions', 'parked', 'waiting', 'ringSlots']);
const SCAN_COUNT = 1_000;

/** The visitor pseudonyms normalize linked to the user, in every state version (its `visitors` hashes). */
export async function linkedVisitors(redis: Redis, user: string): Promise<string[]> {
  const found = new Set<string>();
  for await (const keys of redis.scanStream({ match: 'sr:*:{normalize}:visitors', count: SCAN_COUNT }) as AsyncIterable<string[]>) {
    for (const key of keys) {
      await hashEntries(redis, key, (field, value) => {
        try {
          if ((JSON.parse(value) as { userId?: unknown }).userId === user) found.add(field);
        } catch {
          // not a link: nothing to learn from it
        }
      });
    }
  }
  return [...found];
}

/**
 * Visits every `sr:*` key once and removes what is about the person, by the rules of
 * domain/redis-rules.ts; with `dryRun` only counts. `progress` is told the keys visited so far.
 */
export async function sweepRedis(redis: Redis, subjects: ErasureSubjects, options: { readonly dryRun: boolean; readonly progress?: (scanned: number) => void }): Promise<RedisSweep> {
  let keys = 0;
  let members = 0;
  let normalizeFields = 0;
  let scanned = 0;
  for await (const batch of redis.scanStream({ match: SCANNED_KEYS, count: SCAN_COUNT }) as AsyncIterable<string[]>) {
    const toDelete: string[] = [];
    const memberChecks: { key: string; members: readonly string[] }[] = [];
    for (const key of batch) {
      const rule = redisKeyRule(key, subjects);
      switch (rule.kind) {
        case 'delete':
          toDelete.push(key);
          break;
        case 'remove-members':
          memberChecks.push({ key, members: rule.members });
          break;
        case 'scan-members':
          members += await sweepSetMembers(redis, key, (member) => rule.patterns.some((pattern) => member.startsWith(pattern.slice(0, -1))), options.dryRun);
          break;
        case 'normalize-store':
          if (PERSONAL_NORMALIZE_STORES.has(rule.store)) normalizeFields += await sweepHash(redis, key, (field, value) => normalizeFieldNamesSubject(rule.store, field, value, subjects), options.dryRun);
          break;
        case 'keep':
          break;
      }
    }
    if (toDelete.length > 0) keys += options.dryRun ? await redis.exists(...toDelete) : await redis.unlink(...toDelete);
    members += await removeMembers(redis, memberChecks, options.dryRun);
    scanned += batch.length;
    options.progress?.(scanned);
  }
  return { keys, members, normalizeFields, scanned };
}

/** ZREM (or, looking only, ZSCORE) of the subjects in sorted sets, pipelined. */
async function removeMembers(redis: Redis, checks: readonly { key: string; members: readonly string[] }[], dryRun: boolean): Promise<number> {
  if (checks.length === 0) return 0;
  const pipeline = redis.pipeline();
  for (const { key, members } of checks) {
    if (dryRun) for (const member of members) pipeline.zscore(key, member);
    else pipeline.zrem(key, ...members);
  }
  let removed = 0;
  for (const [error, reply] of (await pipeline.exec()) ?? []) {
    if (error !== null) throw error;
    removed += dryRun ? (reply === null ? 0 : 1) : Number(reply);
  }
  return removed;
}

async function sweepSetMembers(redis: Redis, key: string, matches: (member: string) => boolean, dryRun: boolean): Promise<number> {
  const type = await redis.type(key);
  const found: string[] = [];
  let cursor = '0';
  do {
    if (type === 'set') {
      const [next, page] = await redis.sscan(key, cursor, 'COUNT', SCAN_COUNT);
      cursor = next;
      for (const member of page) if (matches(member)) found.push(member);
    } else if (type === 'zset') {
      const [next, page] = await redis.zscan(key, cursor, 'COUNT', SCAN_COUNT);
      cursor = next;
      for (let index = 0; index < page.length; index += 2) if (matches(page[index] ?? '')) found.push(page[index] ?? '');
    } else return 0;
  } while (cursor !== '0');
  if (found.length === 0 || dryRun) return found.length;
  return type === 'set' ? redis.srem(key, ...found) : redis.zrem(key, ...found);
}

async function sweepHash(redis: Redis, key: string, matches: (field: string, value: string) => boolean, dryRun: boolean): Promise<number> {
  const found: string[] = [];
  await hashEntries(redis, key, (field, value) => {
    if (matches(field, value)) found.push(field);
  });
  if (found.length === 0 || dryRun) return found.length;
  return redis.hdel(key, ...found);
}

async function hashEntries(redis: Redis, key: string, visit: (field: string, value: string) => void): Promise<void> {
  let cursor = '0';
  do {
    const [next, page] = await redis.hscan(key, cursor, 'COUNT', SCAN_COUNT);
    cursor = next;
    for (let index = 0; index + 1 < page.length; index += 2) visit(page[index] ?? '', page[index + 1] ?? '');
  } while (cursor !== '0');
}
