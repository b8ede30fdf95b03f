import {
  ConversionItemColumns,
  DatasetColumns,
  decodeRow,
  LinkVisitActionColumns,
  MatomoActionColumns,
  MatomoVisitColumns,
  OrderColumns,
  OrderItemColumns,
  SourceTable,
  UserColumns,
  type ColumnSpec,
  type RowOf,
} from '@streamrec/cdc';
import { itemVersionKey, userVersionKey } from './catalogue-changes.js';
import { parseCdcRecord } from './cdc-envelope.js';
import { actionId, visitorId } from './ids.js';
import { actionDependency, actionKey } from './matomo-actions.js';
import type { CdcInput } from './normalizer.js';
import type { LazyStoreName, NormalizeState } from './normalize-state.js';
import type { ParkedJob } from './parking-lot.js';
import { orderDependency, orderKey } from './shop-orders.js';

/** Keys of the lazily loaded stores, per store. */
export type LookupKeys = { readonly [S in LazyStoreName]: Set<string> };

export const emptyLookupKeys = (): LookupKeys => ({ actions: new Set(), visitors: new Set(), orders: new Set(), versions: new Set() });

/** The resident stores the scan reads: which parked rows an arriving action or order releases. */
export type ParkingView = Pick<NormalizeState, 'parked' | 'waiting'>;

/**
 * Adds to `into` the keys of the lazily loaded stores that normalising `input` may read: the
 * actions and visitor a Matomo row references, the order of an order or order item, the changelog
 * version of a dataset or user, and what the parked rows an arriving action or order releases
 * reference. A superset is harmless (one more key read); a key left out is caught by the cached
 * store (`takeUnresolved`) at the price of preparing the batch again, so this is an optimisation of
 * the read pattern, not a condition of correctness.
 */
export function addLookupKeys(into: LookupKeys, input: CdcInput, parking: ParkingView): void {
  const parsed = parseCdcRecord(input.topic, input.value);
  if (parsed.kind !== 'change') return;
  const { change } = parsed;
  const row = <S extends ColumnSpec>(spec: S): RowOf<S> | undefined => {
    const decoded = decodeRow(change.row, spec);
    return decoded.rejection ? undefined : decoded.row;
  };
  const released = (dependency: string): void => {
    for (const key of parking.waiting.get(dependency) ?? []) {
      const parked = parking.parked.get(key);
      if (parked !== undefined) addJobKeys(into, parked.job);
    }
  };
  switch (change.table) {
    case SourceTable.MatomoAction: {
      const action = row(MatomoActionColumns);
      if (action === undefined) return;
      into.actions.add(actionKey(actionId(action.idaction)));
      return released(actionDependency(actionId(action.idaction)));
    }
    case SourceTable.MatomoVisit: {
      const visit = row(MatomoVisitColumns);
      // Only a visit that carries a user id links (reads) its visitor.
      if (visit !== undefined && visit.user_id !== null) into.visitors.add(visitorId(visit.idvisitor));
      return;
    }
    case SourceTable.MatomoLinkVisitAction: {
      const linkVisitAction = row(LinkVisitActionColumns);
      if (linkVisitAction !== undefined) addJobKeys(into, { table: SourceTable.MatomoLinkVisitAction, row: linkVisitAction });
      return;
    }
    case SourceTable.MatomoConversionItem: {
      const item = row(ConversionItemColumns);
      if (item !== undefined) addJobKeys(into, { table: SourceTable.MatomoConversionItem, row: item });
      return;
    }
    case SourceTable.ShopOrders: {
      const order = row(OrderColumns);
      if (order === undefined) return;
      into.orders.add(orderKey(order.id));
      return released(orderDependency(order.id));
    }
    case SourceTable.ShopOrderItems: {
      const item = row(OrderItemColumns);
      if (item !== undefined) addJobKeys(into, { table: SourceTable.ShopOrderItems, row: item });
      return;
    }
    case SourceTable.ShopDatasets: {
      const dataset = row(DatasetColumns);
      if (dataset !== undefined) into.versions.add(itemVersionKey(dataset.id));
      return;
    }
    case SourceTable.ShopUsers: {
      const user = row(UserColumns);
      if (user !== undefined) into.versions.add(userVersionKey(user.id));
      return;
    }
    default:
      return; // favourites and conversions read no lazily loaded store
  }
}

function addJobKeys(into: LookupKeys, job: ParkedJob): void {
  const addAction = (id: number | null): void => {
    if (id !== null && id !== 0) into.actions.add(actionKey(actionId(id)));
  };
  switch (job.table) {
    case SourceTable.MatomoLinkVisitAction:
      addAction(job.row.idaction_event_category);
      addAction(job.row.idaction_event_action);
      addAction(job.row.idaction_name);
      addAction(job.row.idaction_url);
      into.visitors.add(visitorId(job.row.idvisitor));
      return;
    case SourceTable.MatomoConversionItem:
      addAction(job.row.idaction_sku);
      into.visitors.add(visitorId(job.row.idvisitor));
      return;
    case SourceTable.ShopOrderItems:
      into.orders.add(orderKey(job.row.order_id));
      return;
  }
}
