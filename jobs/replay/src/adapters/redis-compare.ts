import type { Redis } from 'ioredis';
import { keyInVersion, isOffsetsKey, unversionedKey } from '../domain/key-map.js';
import { ValueMatch, comparableString, matchEntries, sameBytes } from '../domain/comparable-value.js';
import { keyStatus, type KeyComparison } from '../domain/diff.js';
import { versionKeys } from './redis-versions.js';
import type { StateVersion } from '@streamrec/foundation';

const CHUNK = 200;

/**
 * Compares every state key of two versions (offsets hashes excluded: they are compared separately).
 * `DUMP` first (byte-equal serialisations are equal values); when the dumps differ, by type and content,
 * since the same value can be serialised differently (hash field order, encodings, an HLL's cached count),
 * and floats that differ only by rounding are told apart from real differences (comparable-value.ts).
 */
export async function compareVersionKeys(redis: Redis, a: StateVersion, b: StateVersion, onProgress?: (done: number, total: number) => void): Promise<KeyComparison[]> {
  const stateKeys = async (version: StateVersion): Promise<Set<string>> =>
    new Set((await versionKeys(redis, version)).map((key) => unversionedKey(key) ?? key).filter((key) => !isOffsetsKey(key)));
  const [inA, inB] = await Promise.all([stateKeys(a), stateKeys(b)]);
  const all = [...new Set([...inA, ...inB])].sort();
  const common = all.filter((key) => inA.has(key) && inB.has(key));
  const matches = new Map<string, ValueMatch>();
  for (let index = 0; index < common.length; index += CHUNK) {
    const chunk = common.slice(index, index + CHUNK);
    const pipeline = redis.pipeline();
    for (const key of chunk) pipeline.dumpBuffer(keyInVersion(a, key)).dumpBuffer(keyInVersion(b, key));
    const replies = (await pipeline.exec()) ?? [];
    const suspects: string[] = [];
    chunk.forEach((key, position) => {
      const dumpA = replies[position * 2]?.[1];
      const dumpB = replies[position * 2 + 1]?.[1];
      if (Buffer.isBuffer(dumpA) && Buffer.isBuffer(dumpB) && dumpA.equals(dumpB)) matches.set(key, ValueMatch.Equal);
      else suspects.push(key);
    });
    for (const key of suspects) matches.set(key, await matchValues(redis, keyInVersion(a, key), keyInVersion(b, key)));
    onProgress?.(Math.min(index + CHUNK, common.length), common.length);
  }
  return all.map((key) => ({ key, status: keyStatus(inA.has(key), inB.has(key), matches.get(key) ?? ValueMatch.Different) }));
}

async function matchValues(redis: Redis, keyA: string, keyB: string): Promise<ValueMatch> {
  const [typeA, typeB] = await Promise.all([redis.type(keyA), redis.type(keyB)]);
  if (typeA !== typeB) return ValueMatch.Different;
  const [valueA, valueB] = await Promise.all([typedValue(redis, keyA, typeA), typedValue(redis, keyB, typeB)]);
  if (valueA instanceof Uint8Array && valueB instanceof Uint8Array) return sameBytes(comparableString(valueA), comparableString(valueB)) ? ValueMatch.Equal : ValueMatch.Different;
  if (valueA instanceof Map && valueB instanceof Map) return matchEntries(valueA as Map<string, string>, valueB as Map<string, string>);
  return JSON.stringify(valueA) === JSON.stringify(valueB) ? ValueMatch.Equal : ValueMatch.Different;
}

async function typedValue(redis: Redis, key: string, type: string): Promise<unknown> {
  switch (type) {
    case 'string':
      return (await redis.getBuffer(key)) ?? new Uint8Array();
    case 'hash':
      return new Map(Object.entries(await redis.hgetall(key)));
    case 'zset': {
      // member → score; the order is not compared (near-equal scores may sort differently).
      const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
      const members = new Map<string, string>();
      for (let index = 0; index + 1 < flat.length; index += 2) members.set(flat[index] ?? '', flat[index + 1] ?? '');
      return members;
    }
    case 'set':
      return (await redis.smembers(key)).sort();
    case 'list':
      return redis.lrange(key, 0, -1);
    default:
      return `unsupported type ${type}`;
  }
}
