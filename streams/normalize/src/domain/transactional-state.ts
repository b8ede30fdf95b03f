import type { KeyValueStore } from './key-value-store.js';
import { storeNames, type NormalizeState, type StoreName, type StoreValue } from './normalize-state.js';

/**
 * A state whose writes stay pending until `commit`. The shared consumer loop may prepare the same
 * batch again after a failed commit (a retriable Redis error): the adapter rolls back, and the
 * second preparation sees exactly the state the first one saw, so it produces the same outputs
 * and the same changes instead of taking its own records for duplicates.
 */
export interface TransactionalState extends NormalizeState {
  /** Writes the pending changes into the base state. */
  commit(): void;
  /** Drops the pending changes: the base state is as it was before them. */
  rollback(): void;
}

/** A pending write: `{ value }`, or null for a delete. */
type Pending<V> = { readonly value: V } | null;

export function transactionalState(base: NormalizeState): TransactionalState {
  const overlays = new Map<StoreName, Map<string, Pending<unknown>>>(storeNames.map((name) => [name, new Map()]));
  const overlayOf = <S extends StoreName>(name: S): Map<string, Pending<StoreValue<S>>> =>
    overlays.get(name) as Map<string, Pending<StoreValue<S>>>;
  const storeOf = <S extends StoreName>(name: S): KeyValueStore<StoreValue<S>> => {
    const overlay = overlayOf(name);
    const baseStore = base[name] as KeyValueStore<StoreValue<S>>;
    return {
      get(key) {
        const pending = overlay.get(key);
        if (pending === undefined) return baseStore.get(key);
        return pending === null ? undefined : pending.value;
      },
      set: (key, value) => overlay.set(key, { value }),
      delete: (key) => overlay.set(key, null),
    };
  };
  const stores = Object.fromEntries(storeNames.map((name) => [name, storeOf(name)])) as unknown as NormalizeState;
  return {
    ...stores,
    commit() {
      for (const name of storeNames) {
        const baseStore = base[name] as KeyValueStore<unknown>;
        for (const [key, pending] of overlayOf(name)) {
          if (pending === null) baseStore.delete(key);
          else baseStore.set(key, pending.value);
        }
        overlayOf(name).clear();
      }
    },
    rollback() {
      for (const overlay of overlays.values()) overlay.clear();
    },
  };
}
