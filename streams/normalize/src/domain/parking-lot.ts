import { fifoRing, type FifoRingStores } from './fifo-ring.js';
import type { KeyValueStore } from './key-value-store.js';
import type { SourceTable } from '@streamrec/cdc';
import type { ConversionItemRow, LinkVisitActionRow, OrderItemRow } from '@streamrec/cdc';

/** A decoded row that could not be mapped yet, with what it needs to be mapped again. */
export type ParkedJob =
  | { readonly table: typeof SourceTable.MatomoLinkVisitAction; readonly row: LinkVisitActionRow }
  | { readonly table: typeof SourceTable.MatomoConversionItem; readonly row: ConversionItemRow }
  | { readonly table: typeof SourceTable.ShopOrderItems; readonly row: OrderItemRow };

export type ParkedRow = {
  /** The event id the row will produce: a re-delivery while parked replaces, not duplicates. */
  readonly key: string;
  readonly seq: number;
  /** Dependencies (`action:<idaction>`, `order:<id>`) whose arrival triggers a new attempt. */
  readonly waitingFor: readonly string[];
  readonly job: ParkedJob;
};

export interface ParkingStores extends FifoRingStores {
  readonly parked: KeyValueStore<ParkedRow>;
  /** dependency → keys of the rows waiting for it, in parking order. */
  readonly waiting: KeyValueStore<string[]>;
}

/**
 * Rows that reference something not seen yet (topics are consumed independently, so a
 * link_visit_action row can arrive before the log_action row it points to, an order item before
 * its order turns paid). Bounded by a FIFO ring: parking a new row evicts the row parked
 * `capacity` parkings earlier if it is still waiting. Re-parking a waiting row (a re-delivery, or
 * a retry that now waits for something else) keeps its place, so retries cannot keep it forever.
 */
export interface ParkingLot {
  /** Parks (or re-parks) a row; returns the row evicted to make room, which the caller dead-letters. */
  park(key: string, job: ParkedJob, waitingFor: readonly string[]): ParkedRow | undefined;
  /** The rows waiting for `dependency`, in parking order; they stay parked until `park` or `remove`. */
  waitersOf(dependency: string): ParkedRow[];
  remove(key: string): void;
}

export function parkingLot(stores: ParkingStores, capacity: number): ParkingLot {
  const ring = fifoRing('parked', capacity, stores);

  const index = (row: ParkedRow): void => {
    for (const dependency of row.waitingFor) {
      const keys = stores.waiting.get(dependency) ?? [];
      if (!keys.includes(row.key)) stores.waiting.set(dependency, [...keys, row.key]);
    }
  };
  const unindex = (row: ParkedRow): void => {
    for (const dependency of row.waitingFor) {
      const keys = (stores.waiting.get(dependency) ?? []).filter((key) => key !== row.key);
      if (keys.length > 0) stores.waiting.set(dependency, keys);
      else stores.waiting.delete(dependency);
    }
  };
  const remove = (key: string): void => {
    const row = stores.parked.get(key);
    if (row === undefined) return;
    unindex(row);
    stores.parked.delete(key);
  };

  return {
    park(key, job, waitingFor) {
      const existing = stores.parked.get(key);
      let evicted: ParkedRow | undefined;
      let seq: number;
      if (existing !== undefined) {
        unindex(existing);
        seq = existing.seq;
      } else {
        const pushed = ring.push(key);
        seq = pushed.seq;
        const candidate = pushed.displaced === undefined ? undefined : stores.parked.get(pushed.displaced.key);
        if (candidate !== undefined && candidate.seq === pushed.displaced?.seq) {
          evicted = candidate;
          remove(candidate.key);
        }
      }
      const row: ParkedRow = { key, seq, waitingFor: [...new Set(waitingFor)], job };
      stores.parked.set(key, row);
      index(row);
      return evicted;
    },
    waitersOf(dependency) {
      const keys = stores.waiting.get(dependency) ?? [];
      return keys.flatMap((key) => stores.parked.get(key) ?? []);
    },
    remove,
  };
}
