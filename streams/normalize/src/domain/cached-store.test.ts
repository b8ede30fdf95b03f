import { describe, expect, it } from 'vitest';
import { CachedStore } from './cached-store.js';

describe('cached store', () => {
  it('answers loaded values and known absences, and reports a read of an unloaded key instead of taking it for absent', () => {
    const store = new CachedStore<number>(10);
    store.load([
      ['a', 1],
      ['b', undefined],
    ]);
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual([1, undefined, undefined]);
    expect(store.takeUnresolved()).toEqual(['c']);
    expect(store.takeUnresolved()).toEqual([]);
  });

  it('keeps committed writes and deletes as cached values, so they are not read again', () => {
    const store = new CachedStore<number>(10);
    store.set('a', 1);
    store.delete('b');
    expect(store.uncached(['a', 'b', 'c'])).toEqual(['c']);
    expect(store.get('b')).toBeUndefined();
    expect(store.takeUnresolved()).toEqual([]);
  });

  it('keeps everything loaded for a batch until trimmed, then evicts the least recently needed', () => {
    const store = new CachedStore<number>(2);
    store.load([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual([1, 2, 3]);
    store.uncached(['a']);
    expect(store.trim()).toBe(1);
    expect(store.uncached(['a', 'b', 'c'])).toEqual(['b']);
  });

  it('forgets everything on clear', () => {
    const store = new CachedStore<number>(2);
    store.set('a', 1);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.uncached(['a'])).toEqual(['a']);
  });
});
