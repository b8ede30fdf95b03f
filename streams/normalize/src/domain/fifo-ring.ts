import type { KeyValueStore } from './key-value-store.js';

/**
 * A fixed number of slots written round-robin, in plain key-value state: slot `seq % capacity`
 * names the key that took it, the cursor counts pushes. It bounds a set by age in pushes (the
 * oldest member makes room for the newest) without a clock, so a replay bounds it identically.
 */
export interface FifoRing {
  /** Takes the next slot for `key`; `displaced` is whoever took that slot `capacity` pushes ago. */
  push(key: string): { readonly seq: number; readonly displaced?: { readonly key: string; readonly seq: number } };
}

export interface FifoRingStores {
  readonly ringSlots: KeyValueStore<string>;
  readonly cursors: KeyValueStore<number>;
}

export function fifoRing(name: string, capacity: number, stores: FifoRingStores): FifoRing {
  return {
    push(key) {
      const seq = stores.cursors.get(name) ?? 0;
      const slot = `${name}:${seq % capacity}`;
      const previous = stores.ringSlots.get(slot);
      stores.ringSlots.set(slot, key);
      stores.cursors.set(name, seq + 1);
      return previous === undefined ? { seq } : { seq, displaced: { key: previous, seq: seq - capacity } };
    },
  };
}
