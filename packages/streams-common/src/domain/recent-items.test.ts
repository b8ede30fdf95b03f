import { describe, expect, it } from 'vitest';
import { createMemoryState } from '../testing/memory-state.js';
import { seededRandom } from '../testing/random.js';
import { itemIdOf } from './ids.js';
import { nextRecentItems, parseRecentItems, recentItemsOps, type RecentItem } from './recent-items.js';

const at = (item: number, eventTime: number): RecentItem => ({ item: itemIdOf(item), eventTime });

describe('recent items fold', () => {
  it('keeps the newest items first, each once, at most maxItems', () => {
    let list: RecentItem[] = [];
    for (const [item, time] of [[1, 10], [2, 20], [3, 30], [2, 40], [4, 50]] as const) list = nextRecentItems(list, at(item, time), { maxItems: 3 });
    expect(list).toEqual([at(4, 50), at(2, 40), at(3, 30)]);
  });

  it('a late event of an item keeps the newer time it already has', () => {
    const list = nextRecentItems([at(5, 100), at(6, 90)], at(6, 10), { maxItems: 5 });
    expect(list).toEqual([at(5, 100), at(6, 90)]);
  });

  it('breaks equal times like Redis does (member descending in ZREVRANGE)', () => {
    const list = nextRecentItems([at(10, 7)], at(9, 7), { maxItems: 5 });
    expect(list.map((entry) => entry.item)).toEqual(['9', '10']);
  });

  it('equals what the ops leave in the store, for random streams, and parses back from WITHSCORES', () => {
    const random = seededRandom(42);
    const state = createMemoryState();
    const key = 'sr:v1:{p0}:user:u:recent';
    let fold: RecentItem[] = [];
    for (let offset = 0; offset < 400; offset += 1) {
      const event = at(Math.floor(random() * 25), 1_000 + Math.floor(random() * 60));
      fold = nextRecentItems(fold, event, { maxItems: 8 });
      state.applyBatch('offsets', 'test', [{ offset: BigInt(offset), ops: recentItemsOps(key, event, { maxItems: 8 }) }]);
      expect(parseRecentItems(state.zrevrangeWithScores(key))).toEqual(fold);
    }
    expect(fold).toHaveLength(8);
  });
});
