import { describe, expect, it } from 'vitest';
import { emittedIds } from './emitted-ids.js';
import { createInMemoryState } from './normalize-state.js';

describe('emitted ids window', () => {
  it('remembers the last capacity ids and forgets older ones', () => {
    const state = createInMemoryState();
    const ids = emittedIds(state, 2);
    ids.remember('a');
    ids.remember('b');
    expect(ids.has('a')).toBe(true);
    ids.remember('c');
    expect(ids.has('a')).toBe(false);
    expect(ids.has('b')).toBe(true);
    expect(ids.has('c')).toBe(true);
    expect(Object.keys(state.snapshot().emitted).sort()).toEqual(['b', 'c']);
  });

  it('does not take a new slot for an id it already holds', () => {
    const ids = emittedIds(createInMemoryState(), 2);
    ids.remember('a');
    ids.remember('b');
    ids.remember('b');
    expect(ids.has('a')).toBe(true);
  });
});
