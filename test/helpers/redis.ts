import { Redis } from 'ioredis';
import { stackEnv } from './stack.js';

/** A client for the local stack's Redis. */
export function createRedis(): Redis {
  return new Redis({
    host: stackEnv['STREAMREC_HOST'] ?? '127.0.0.1',
    port: Number(stackEnv['STREAMREC_REDIS_PORT'] ?? '16379'),
    maxRetriesPerRequest: 2,
  });
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
