import { Redis } from 'ioredis';
import { loadRedisConfig, type RedisConfig, type RedisRole } from '@streamrec/foundation';
import { stackEnv } from './stack.js';

/** Where the local stack's Redis is, with the credentials of a role (its ACL user, from .stack/secrets.env). */
export function redisAs(role: RedisRole): RedisConfig {
  return loadRedisConfig(stackEnv, role, `test Redis (${role})`);
}

/** An admin client for the local stack's Redis (tests read and clean up every key). */
export function createRedis(): Redis {
  return new Redis({ ...redisAs('admin'), maxRetriesPerRequest: 2 });
}

/** Every key matching a pattern (SCAN, not KEYS), sorted. */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}
