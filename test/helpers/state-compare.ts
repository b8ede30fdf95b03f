import type { Redis } from 'ioredis';
import { scanKeys } from './redis.js';

export interface StateComparison {
  /** Keys of either version, mapped to the first version's names. */
  readonly keys: number;
  readonly onlyInFirst: string[];
  readonly onlyInSecond: string[];
  /** Keys whose DUMP differs and whose content differs too (a real difference). */
  readonly different: string[];
  /**
   * Keys whose DUMP differs while type, members, fields and values (scores as Redis prints them, i.e.
   * exactly) are equal: a hashtable-encoded set or hash serialises in bucket-chain order, which depends
   * on when Redis rehashed (time-driven), not on the data.
   */
  readonly encodingOnly: string[];
}

const CHUNK = 500;

/**
 * Compares every key of state version `first` with the same-named key of `second` (`sr:<v>:…`),
 * byte for byte with DUMP; `ignore` names keys compared elsewhere (e.g. offsets hashes).
 */
export async function compareStateVersions(redis: Redis, first: string, second: string, ignore: (key: string) => boolean = () => false): Promise<StateComparison> {
  const toFirst = (key: string): string => `sr:${first}:${key.slice(`sr:${second}:`.length)}`;
  const firstKeys = (await scanKeys(redis, `sr:${first}:*`)).filter((key) => !ignore(key));
  const secondKeys = new Set((await scanKeys(redis, `sr:${second}:*`)).map(toFirst).filter((key) => !ignore(key)));
  const firstSet = new Set(firstKeys);
  const onlyInFirst = firstKeys.filter((key) => !secondKeys.has(key));
  const onlyInSecond = [...secondKeys].filter((key) => !firstSet.has(key));
  const common = firstKeys.filter((key) => secondKeys.has(key));
  const toSecond = (key: string): string => `sr:${second}:${key.slice(`sr:${first}:`.length)}`;
  const different: string[] = [];
  const encodingOnly: string[] = [];
  for (let start = 0; start < common.length; start += CHUNK) {
    const chunk = common.slice(start, start + CHUNK);
    const pipeline = redis.pipeline();
    for (const key of chunk) pipeline.dumpBuffer(key).dumpBuffer(toSecond(key));
    const replies = (await pipeline.exec()) ?? [];
    for (const [index, key] of chunk.entries()) {
      const a = replies[2 * index]?.[1] as Buffer | null;
      const b = replies[2 * index + 1]?.[1] as Buffer | null;
      if (a !== null && b !== null && a.equals(b)) continue;
      if ((await canonicalContent(redis, key)) === (await canonicalContent(redis, toSecond(key)))) encodingOnly.push(key);
      else different.push(key);
    }
  }
  return { keys: firstSet.size + onlyInSecond.length, onlyInFirst, onlyInSecond, different, encodingOnly };
}

/** A key's logical content as text, independent of its internal encoding (not of its values). */
export async function canonicalContent(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  switch (type) {
    case 'hash': {
      const fields = Object.entries(await redis.hgetall(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return JSON.stringify([type, fields]);
    }
    case 'set':
      return JSON.stringify([type, (await redis.smembers(key)).sort()]);
    case 'zset':
      return JSON.stringify([type, await redis.zrange(key, 0, -1, 'WITHSCORES')]);
    case 'list':
      return JSON.stringify([type, await redis.lrange(key, 0, -1)]);
    case 'string':
      return JSON.stringify([type, (await redis.getBuffer(key))?.toString('base64')]);
    default:
      return JSON.stringify([type]);
  }
}

/** Every field of the offsets hashes (`sr:<v>:{p<n>}:offsets`) of a version, as `{p<n>} field` → offset. */
export async function storedOffsets(redis: Redis, version: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const key of await scanKeys(redis, `sr:${version}:*:offsets`)) {
    const tag = key.slice(`sr:${version}:`.length, -':offsets'.length);
    for (const [field, value] of Object.entries(await redis.hgetall(key))) result.set(`${tag} ${field}`, value);
  }
  return result;
}
