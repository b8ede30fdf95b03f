/**
 * Integration (needs the local stack's Redis: `npm run setup`): the read-then-apply stages fold the
 * recent-items list in memory (`nextRecentItems`) between reads; that is only deterministic if the fold
 * is exactly what the ops leave in Redis, equal-time ties included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedisStateStore } from '@streamrec/foundation/redis';
import { offsetsKey, parseStateVersion, type StateStore } from '@streamrec/foundation';
import { itemIdOf, nextRecentItems, parseRecentItems, recentItemsOps, type RecentItem } from '@streamrec/streams-common';
import { createRedis, scanKeys } from '../helpers/redis.js';

let redis: Redis;
let store: StateStore;
const version = parseStateVersion(`v${100_000 + Math.floor(Math.random() * 800_000)}`);

beforeAll(() => {
  redis = createRedis();
  store = createRedisStateStore(redis);
});

afterAll(async () => {
  const keys = await scanKeys(redis, `sr:${version}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('recent-items fold against Redis', () => {
  it('nextRecentItems equals what ZADD GT + ZKeepTop leave in Redis, record after record', async () => {
    const key = `sr:${version}:{p0}:user:fold:recent`;
    let state = 12345;
    const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    let fold: RecentItem[] = [];
    for (let offset = 0n; offset < 150n; offset += 1n) {
      // Few distinct times and items: many equal-time ties and re-visits, some late events.
      const event = { item: itemIdOf(Math.floor(next() * 20) * 7), eventTime: 1_000 + Math.floor(next() * 15) };
      fold = nextRecentItems(fold, event, { maxItems: 6 });
      await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field: 'fold', lastOffset: offset, records: [{ offset, ops: recentItemsOps(key, event, { maxItems: 6 }) }] });
      expect(parseRecentItems(await redis.zrevrange(key, 0, -1, 'WITHSCORES'))).toEqual(fold);
    }
  });
});
