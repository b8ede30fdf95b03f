/**
 * A seeded stream of `cdc.*` inputs over many distinct actions, visitors, orders, datasets and users,
 * in an order that parks rows (a pageview before its action, an order item before its order), links
 * visitors to users (stitching), and re-delivers earlier records as Debezium does. Test support only:
 * runs of it compare a bounded state cache with the whole state in memory.
 */
import { seededRandom } from '@streamrec/foundation';
import { SourceTable } from '@streamrec/cdc';
import type { CdcInput } from '../normalizer.js';
import { cdcFixture, Rows, T0 } from './cdc-fixtures.js';

export interface RecordStreamOptions {
  readonly seed: number;
  readonly records: number;
  /** Distinct dataset pages (log_action rows), visitors, orders, datasets and users drawn from. */
  readonly actions: number;
  readonly visitors: number;
  readonly orders: number;
  readonly datasets: number;
  readonly users: number;
}

export const CATEGORY_ACTION = 9_000;
export const DOWNLOAD_ACTION = 9_001;
export const pageActionId = (item: number): number => 10_000 + item;
export const nameActionId = (item: number): number => 20_000 + item;
export const visitorHex = (n: number): string => n.toString(16).padStart(16, '0');

export function recordStream(options: RecordStreamOptions): CdcInput[] {
  const random = seededRandom(options.seed);
  const pick = (n: number): number => 1 + Math.floor(random() * n);
  const cdc = cdcFixture();
  const out: CdcInput[] = [
    cdc.create(SourceTable.MatomoAction, Rows.action(CATEGORY_ACTION, 10, 'dataset')),
    cdc.create(SourceTable.MatomoAction, Rows.action(DOWNLOAD_ACTION, 11, 'download')),
  ];
  let linkVisitAction = 0;
  let orderItem = 0;
  for (let index = 0; out.length < options.records; index += 1) {
    const at = T0 + index * 1_000;
    const roll = random();
    const visitor = visitorHex(pick(options.visitors));
    const item = pick(options.actions);
    if (roll < 0.08 && out.length > 10) {
      // A re-delivery of an earlier record (same value, new offset).
      out.push(out[Math.floor(random() * out.length)] as CdcInput);
    } else if (roll < 0.25) {
      const action = random() < 0.5 ? Rows.action(pageActionId(item), 1, `market.example.com/datasets/${item}`) : Rows.action(nameActionId(item), 12, String(item));
      out.push(cdc.create(SourceTable.MatomoAction, action));
    } else if (roll < 0.5) {
      linkVisitAction += 1;
      out.push(cdc.create(SourceTable.MatomoLinkVisitAction, Rows.pageview(linkVisitAction, pageActionId(item), { idvisitor: visitor, server_time: at })));
    } else if (roll < 0.6) {
      linkVisitAction += 1;
      const refs = { category: CATEGORY_ACTION, action: DOWNLOAD_ACTION, name: nameActionId(item) };
      out.push(cdc.create(SourceTable.MatomoLinkVisitAction, Rows.event(linkVisitAction, refs, { idvisitor: visitor, server_time: at })));
    } else if (roll < 0.72) {
      const userId = random() < 0.3 ? null : String(pick(options.users));
      out.push(cdc.create(SourceTable.MatomoVisit, Rows.visit({ idvisitor: visitor, user_id: userId, visit_last_action_time: at })));
    } else if (roll < 0.8) {
      const status = ['pending', 'paid', 'cancelled', 'refunded'][Math.floor(random() * 4)] as string;
      out.push(cdc.create(SourceTable.ShopOrders, Rows.order(pick(options.orders), status, { user_id: pick(options.users) })));
    } else if (roll < 0.88) {
      orderItem += 1;
      out.push(cdc.create(SourceTable.ShopOrderItems, Rows.orderItem(orderItem, pick(options.orders), pick(options.datasets))));
    } else if (roll < 0.95) {
      out.push(cdc.create(SourceTable.ShopDatasets, Rows.dataset(pick(options.datasets), { updated_at: at })));
    } else {
      out.push(cdc.create(SourceTable.ShopUsers, Rows.user(pick(options.users), { updated_at: at })));
    }
  }
  return out;
}
