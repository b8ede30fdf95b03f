import { describe, expect, it } from 'vitest';
import { SharedStateCache } from './shared-state-cache.js';

describe('shared state cache', () => {
  it('serves a value until its TTL ends, then asks for it again', () => {
    const cache = new SharedStateCache<string, number>(1_000, 10);
    cache.lookup('v1', ['a'], 0);
    cache.store('a', 1, 0);
    expect(cache.lookup('v1', ['a', 'b'], 999)).toEqual({ found: new Map([['a', 1]]), misses: ['b'] });
    expect(cache.lookup('v1', ['a'], 1_000).misses).toEqual(['a']);
  });

  it('forgets everything when the state version changes, and when it is full', () => {
    const cache = new SharedStateCache<string, number>(1_000, 2);
    cache.lookup('v1', [], 0);
    cache.store('a', 1, 0);
    expect(cache.lookup('v2', ['a'], 1).misses).toEqual(['a']);
    cache.store('a', 1, 0);
    cache.store('b', 2, 0);
    cache.store('c', 3, 0);
    expect(cache.lookup('v2', ['a', 'b', 'c'], 1).misses).toEqual(['a', 'b']);
  });

  it('a TTL of 0 caches nothing', () => {
    const cache = new SharedStateCache<string, number>(0, 10);
    cache.store('a', 1, 0);
    expect(cache.lookup('v1', ['a'], 0).misses).toEqual(['a']);
  });
});
