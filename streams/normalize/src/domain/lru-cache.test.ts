import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LRU cache', () => {
  it('trims the least recently set or touched keys down to its capacity; peek does not count as a use', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.size).toBe(3); // eviction waits for trim
    cache.touch('a');
    cache.peek('b');
    expect(cache.trim()).toBe(1);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
