import { describe, expect, it } from 'vitest';
import { createInMemoryState } from './normalize-state.js';
import { parkingLot, type ParkedJob } from './parking-lot.js';
import { SourceTable } from '@streamrec/cdc';

const job = (id: number): ParkedJob => ({
  table: SourceTable.ShopOrderItems,
  row: { id, order_id: 1, dataset_id: 42, price: '9.90', quantity: 1 },
});

describe('parking lot', () => {
  it('finds parked rows by any dependency they wait for, in parking order', () => {
    const lot = parkingLot(createInMemoryState(), 10);
    lot.park('a', job(1), ['action:1', 'action:2']);
    lot.park('b', job(2), ['action:2']);
    expect(lot.waitersOf('action:2').map((row) => row.key)).toEqual(['a', 'b']);
    expect(lot.waitersOf('action:1').map((row) => row.key)).toEqual(['a']);
    expect(lot.waitersOf('action:3')).toEqual([]);
  });

  it('forgets a removed row under every dependency', () => {
    const state = createInMemoryState();
    const lot = parkingLot(state, 10);
    lot.park('a', job(1), ['action:1', 'action:2']);
    lot.remove('a');
    expect(lot.waitersOf('action:1')).toEqual([]);
    expect(state.snapshot().waiting).toEqual({});
    expect(state.snapshot().parked).toEqual({});
  });

  it('evicts the row parked capacity parkings earlier when it still waits', () => {
    const lot = parkingLot(createInMemoryState(), 2);
    expect(lot.park('a', job(1), ['order:1'])).toBeUndefined();
    expect(lot.park('b', job(2), ['order:1'])).toBeUndefined();
    const evicted = lot.park('c', job(3), ['order:1']);
    expect(evicted?.key).toBe('a');
    expect(lot.waitersOf('order:1').map((row) => row.key)).toEqual(['b', 'c']);
  });

  it('evicts nobody when the row that held the slot was resolved meanwhile', () => {
    const lot = parkingLot(createInMemoryState(), 2);
    lot.park('a', job(1), ['order:1']);
    lot.park('b', job(2), ['order:2']);
    lot.remove('a');
    expect(lot.park('c', job(3), ['order:3'])).toBeUndefined();
    expect(lot.waitersOf('order:2').map((row) => row.key)).toEqual(['b']);
  });

  it('keeps the place of a re-parked row, so retries cannot keep it parked forever', () => {
    const lot = parkingLot(createInMemoryState(), 2);
    lot.park('a', job(1), ['action:1']);
    lot.park('a', job(1), ['action:2']);
    lot.park('b', job(2), ['action:3']);
    expect(lot.waitersOf('action:1')).toEqual([]);
    expect(lot.park('c', job(3), ['action:4'])?.key).toBe('a');
  });
});
