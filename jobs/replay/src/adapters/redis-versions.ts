import type { Redis } from 'ioredis';
import { defaultActiveVersion, readActiveVersion } from '@streamrec/foundation/redis';
import { parseStateVersion, type StateVersion } from '@streamrec/foundation';
import { isOffsetsKey, unversionedKey, versionOf } from '../domain/key-map.js';
import type { VersionOffsets } from '../domain/diff.js';

export { readActiveVersion };

/** Every key matching a pattern (SCAN, never KEYS: the live Redis keeps serving). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

export const versionKeys = (redis: Redis, version: StateVersion): Promise<string[]> => scanKeys(redis, `sr:${version}:*`);

/** Versions present in Redis with their key counts, by one SCAN over `sr:v*`. */
export async function versionsPresent(redis: Redis): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const key of await scanKeys(redis, 'sr:v*')) {
    const version = versionOf(key);
    if (version !== undefined) counts.set(version, (counts.get(version) ?? 0) + 1);
  }
  return new Map([...counts.entries()].sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1))));
}

/** The stored offsets of one version: partition tag → field → offset. */
export async function versionOffsets(redis: Redis, version: StateVersion): Promise<VersionOffsets> {
  const keys = (await scanKeys(redis, `sr:${version}:*:offsets`)).filter((key) => isOffsetsKey(unversionedKey(key) ?? ''));
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.hgetall(key);
  const replies = (await pipeline.exec()) ?? [];
  const offsets = new Map<string, Map<string, bigint>>();
  keys.forEach((key, index) => {
    const [error, hash] = replies[index] ?? [new Error('no reply'), null];
    if (error) throw error;
    const tag = (unversionedKey(key) ?? key).replace(/:offsets$/, '');
    // `<field>!partial` marks a partly applied batch (apply-batch.lua), not an offset.
    const fields = Object.entries(hash as Record<string, string>).filter(([field]) => !field.endsWith('!partial'));
    offsets.set(tag, new Map(fields.map(([field, value]) => [field, BigInt(value)])));
  });
  return offsets;
}

// Deletes a chunk of a version's keys only while that version is not the active one, in one script, so a
// concurrent `switch` to it cannot be followed by a half-deleted version (single-node Redis; see docs/replay.md).
const dropChunkLua = `
local active = redis.call('GET', KEYS[1]) or ARGV[2]
if active == ARGV[1] then return -1 end
local n = 0
for i = 2, #KEYS do n = n + redis.call('UNLINK', KEYS[i]) end
return n`;

/** Deletes every key of a version; refuses (returns undefined) when it is, or becomes, the active one. */
export async function dropVersion(redis: Redis, version: StateVersion, pointerKey: string): Promise<number | undefined> {
  const keys = await versionKeys(redis, version);
  let deleted = 0;
  for (let index = 0; index < keys.length; index += 500) {
    const chunk = keys.slice(index, index + 500);
    const result = (await redis.eval(dropChunkLua, chunk.length + 1, pointerKey, ...chunk, version, defaultActiveVersion)) as number;
    if (result < 0) return undefined;
    deleted += result;
  }
  return deleted;
}

// Compare-and-set of the pointer: a concurrent switch makes this one fail instead of silently overwriting it.
const switchLua = `
local current = redis.call('GET', KEYS[1]) or ARGV[3]
if current ~= ARGV[2] then return {0, current} end
redis.call('SET', KEYS[1], ARGV[1])
return {1, current}`;

/** Sets `sr:active-version` to `to` iff it currently is `expected` (unset counts as v1). */
export async function switchActiveVersion(redis: Redis, pointerKey: string, to: StateVersion, expected: StateVersion): Promise<{ switched: boolean; previous: StateVersion }> {
  const [switched, previous] = (await redis.eval(switchLua, 1, pointerKey, to, expected, defaultActiveVersion)) as [number, string];
  return { switched: switched === 1, previous: parseStateVersion(previous) };
}
