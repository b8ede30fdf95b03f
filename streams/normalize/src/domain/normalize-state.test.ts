import { describe, expect, it } from 'vitest';
import { createInMemoryState, journalState, storeNames, type StateSnapshot } from './normalize-state.js';

describe('normalize state', () => {
  it('reports each written key once, with its last value, and null for a delete', () => {
    const journal = journalState(createInMemoryState());
    journal.state.actions.set('1', { type: 1, name: 'a' });
    journal.state.actions.set('1', { type: 1, name: 'b' });
    journal.state.cursors.set('emitted', 3);
    journal.state.versions.set('item:1', 9);
    journal.state.versions.delete('item:1');
    expect(journal.drain()).toEqual([
      { store: 'actions', key: '1', value: { type: 1, name: 'b' } },
      { store: 'cursors', key: 'emitted', value: 3 },
      { store: 'versions', key: 'item:1', value: null },
    ]);
    expect(journal.drain()).toEqual([]);
  });

  it('writes through to the state it wraps', () => {
    const state = createInMemoryState();
    journalState(state).state.orders.set('5', { state: 'open', userId: 1, paidAt: null });
    expect(state.orders.get('5')).toEqual({ state: 'open', userId: 1, paidAt: null });
  });

  it('restores from a snapshot that went through JSON', () => {
    const state = createInMemoryState();
    state.visitors.set('a1b2c3d4e5f60718', { userId: '7' as never, at: 1 });
    state.waiting.set('action:1', ['matomo:lva:1']);
    const snapshot = JSON.parse(JSON.stringify(state.snapshot())) as StateSnapshot;
    const restored = createInMemoryState(snapshot);
    expect(restored.snapshot()).toEqual(state.snapshot());
    expect(Object.keys(restored.snapshot())).toEqual([...storeNames]);
  });
});
