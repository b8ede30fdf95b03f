import { fifoRing, type FifoRingStores } from './fifo-ring.js';
import type { KeyValueStore } from './key-value-store.js';

export interface EmittedIdStores extends FifoRingStores {
  /** event id → the ring sequence it was remembered at. */
  readonly emitted: KeyValueStore<number>;
}

/** The last `capacity` event ids emitted, to drop Debezium's re-deliveries of the same source row. */
export interface EmittedIds {
  has(eventId: string): boolean;
  remember(eventId: string): void;
}

export function emittedIds(stores: EmittedIdStores, capacity: number): EmittedIds {
  const ring = fifoRing('emitted', capacity, stores);
  return {
    has: (eventId) => stores.emitted.get(eventId) !== undefined,
    remember(eventId) {
      if (stores.emitted.get(eventId) !== undefined) return;
      const { seq, displaced } = ring.push(eventId);
      if (displaced !== undefined && stores.emitted.get(displaced.key) === displaced.seq) stores.emitted.delete(displaced.key);
      stores.emitted.set(eventId, seq);
    },
  };
}
