import { describe, expect, it } from 'vitest';
import { createMemoryState } from '@streamrec/streams-common/testing';
import { hotListKeys, mergeHotList } from './read-side.js';
import { GLOBAL_SCOPE } from './trending-keys.js';
import { defaultTrendingParams as params } from './trending-params.js';
import { DAY, HOUR, T0, activity, itemsOnPartition, partitionContext, runTrendingBatch, streamContext } from './test-fixtures.js';

describe('trending read side', () => {
  it('names every partition’s buckets of the window ending with the bucket of now', () => {
    const keys = hotListKeys(streamContext, { kind: 'industry', name: 'Finance' }, 'day', T0, params);
    const newest = Math.floor(T0 / HOUR);
    expect(keys).toHaveLength(6 * 24);
    expect(keys[0]).toBe(`sr:v1:{p0}:trending:industry=finance:day-${newest - 23}`);
    expect(keys.at(-1)).toBe(`sr:v1:{p5}:trending:industry=finance:day-${newest}`);
  });

  it('merges partitions and buckets client-side into one ranked, available-only list', () => {
    const state = createMemoryState();
    const [a = 0, b = 0] = itemsOnPartition(0, 2);
    const [c = 0] = itemsOnPartition(3, 1);
    const events = [
      { partition: 0, record: activity(a, T0 - 3 * HOUR, { action: 'purchase' }) },
      { partition: 0, record: activity(b, T0 - 2 * HOUR) },
      { partition: 3, record: activity(c, T0 - 3 * DAY, { action: 'purchase' }) },
      { partition: 3, record: activity(c, T0 - HOUR, { action: 'cart' }) },
      { partition: 0, record: activity(b, T0 - 8 * DAY, { action: 'purchase' }) },
    ].sort((x, y) => x.record.eventTime - y.record.eventTime);
    const offsets = new Map<number, bigint>();
    for (const { partition, record } of events) {
      const offset = offsets.get(partition) ?? 0n;
      offsets.set(partition, offset + 1n);
      runTrendingBatch(state, [{ offset, record }], partitionContext(partition), params);
    }
    const read = (window: 'day' | 'week') => mergeHotList(hotListKeys(streamContext, GLOBAL_SCOPE, window, T0, params).map((key) => state.zrevrangeWithScores(key)), 10, () => true);
    expect(read('day')).toEqual([{ item: String(a), score: 10 }, { item: String(c), score: 5 }, { item: String(b), score: 1 }]);
    expect(read('week')).toEqual([{ item: String(c), score: 15 }, { item: String(a), score: 10 }, { item: String(b), score: 1 }]);
    const available = mergeHotList(hotListKeys(streamContext, GLOBAL_SCOPE, 'week', T0, params).map((key) => state.zrevrangeWithScores(key)), 1, (item) => item !== String(c));
    expect(available).toEqual([{ item: String(a), score: 10 }]);
  });
});
