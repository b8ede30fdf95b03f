import { journaled, MapStore, type KeyValueStore } from './key-value-store.js';
import type { StoredAction } from './matomo-actions.js';
import type { ParkedRow } from './parking-lot.js';
import type { OrderRecord } from './shop-orders.js';
import type { AnonymousHistory, VisitorLink } from './visitor-identity.js';

/**
 * Everything the normaliser remembers between records, as named key-value stores of plain JSON
 * values. Each store maps onto one Redis hash; nothing here needs more than HGET/HSET/HDEL.
 */
export interface NormalizeState {
  /** idaction → {type, name}: the log_action lookup (log_action rows are only ever inserted). */
  readonly actions: KeyValueStore<StoredAction>;
  /** idvisitor hex → the user who logged in on that device. */
  readonly visitors: KeyValueStore<VisitorLink>;
  /** idvisitor hex → recent interactions credited to `anon:<idvisitor>`, for stitching. */
  readonly anonymousHistory: KeyValueStore<AnonymousHistory>;
  /** shop order id → open / purchased / cancelled, user and paid_at. */
  readonly orders: KeyValueStore<OrderRecord>;
  /** event id → a decoded row waiting for a log_action row or its order. */
  readonly parked: KeyValueStore<ParkedRow>;
  /** dependency (`action:<id>`, `order:<id>`) → keys of the parked rows waiting for it. */
  readonly waiting: KeyValueStore<string[]>;
  /** event id → ring sequence: the dedup window of emitted interactions. */
  readonly emitted: KeyValueStore<number>;
  /** `item:<id>` / `user:<id>` → source_version of the last change emitted. */
  readonly versions: KeyValueStore<number>;
  /** `<ring>:<slot>` → key: the FIFO rings that bound `emitted`, `parked` and `anonymousHistory`. */
  readonly ringSlots: KeyValueStore<string>;
  /** ring name → pushes so far. */
  readonly cursors: KeyValueStore<number>;
}

export type StoreName = keyof NormalizeState;
export type StoreValue<S extends StoreName> = NormalizeState[S] extends KeyValueStore<infer V> ? V : never;

export const storeNames: readonly StoreName[] = [
  'actions',
  'visitors',
  'anonymousHistory',
  'orders',
  'parked',
  'waiting',
  'emitted',
  'versions',
  'ringSlots',
  'cursors',
];

/**
 * The stores that grow with the source (one entry per log_action row, logged-in device, order,
 * item/user), so the adapter keeps only a bounded cache of them in memory and reads the rest from
 * Redis per batch (`lookupKeysOf`). The others are bounded by FIFO rings and stay resident.
 */
export const lazyStoreNames = ['actions', 'visitors', 'orders', 'versions'] as const satisfies readonly StoreName[];
export type LazyStoreName = (typeof lazyStoreNames)[number];
export const residentStoreNames: readonly StoreName[] = storeNames.filter((name) => !(lazyStoreNames as readonly StoreName[]).includes(name));

/** One write to persist: `value` null deletes the key (HDEL), anything else is stored as JSON (HSET). */
export type StateChange = { readonly [S in StoreName]: { readonly store: S; readonly key: string; readonly value: StoreValue<S> | null } }[StoreName];

/** The whole state as plain data: what the adapter loads at start, and what tests round-trip through JSON. */
export type StateSnapshot = { readonly [S in StoreName]: Readonly<Record<string, StoreValue<S>>> };

export interface InMemoryState extends NormalizeState {
  snapshot(): StateSnapshot;
  /** Replaces the contents of the snapshot's stores (a reload after the store behind it went back in time). */
  reload(from: Partial<StateSnapshot>): void;
}

type MapStores = { readonly [S in StoreName]: MapStore<StoreValue<S>> };

export function createInMemoryState(from?: StateSnapshot): InMemoryState {
  const stores = Object.fromEntries(
    storeNames.map((name) => [name, new MapStore<unknown>(from?.[name] as Readonly<Record<string, unknown>> | undefined)]),
  ) as unknown as MapStores;
  return {
    ...stores,
    snapshot: () => Object.fromEntries(storeNames.map((name) => [name, stores[name].entries()])) as unknown as StateSnapshot,
    reload(snapshot) {
      for (const name of storeNames) {
        const entries = snapshot[name] as Readonly<Record<string, unknown>> | undefined;
        if (entries !== undefined) (stores[name] as MapStore<unknown>).replaceAll(entries);
      }
    },
  };
}

/**
 * Wraps a state so every write is also recorded; `drain` hands over the writes since the last
 * drain, one per key (the last write wins), in the order of those last writes.
 */
export function journalState(state: NormalizeState): { readonly state: NormalizeState; drain(): StateChange[] } {
  let changes = new Map<string, StateChange>();
  const wrap = <S extends StoreName>(store: S): KeyValueStore<StoreValue<S>> =>
    journaled(state[store] as KeyValueStore<StoreValue<S>>, (key, value) => {
      const id = `${store}\u0000${key}`;
      changes.delete(id);
      changes.set(id, { store, key, value } as StateChange);
    });
  const wrapped = Object.fromEntries(storeNames.map((name) => [name, wrap(name)])) as unknown as NormalizeState;
  return {
    state: wrapped,
    drain() {
      const drained = [...changes.values()];
      changes = new Map();
      return drained;
    },
  };
}
