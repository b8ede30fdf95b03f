import type { OrderPlan } from '../domain/session-model.js';
import type { ChangeTally } from '../domain/tally.js';
import { OrderStatus } from '../domain/types.js';
import type { MariaDbWriter } from './mariadb-writer.js';
import { ORDER_COLUMNS, ORDER_ITEM_COLUMNS, SHOP, orderItemRow, orderRow } from './shop-rows.js';

/**
 * An order as the shop backend writes it while it happens: checkout inserts it `pending` with its
 * items, payment later moves it to `paid` or `cancelled`. Call inside a transaction.
 */
export async function insertPlacedOrder(writer: MariaDbWriter, order: OrderPlan, tally: ChangeTally): Promise<number | undefined> {
  const [orderId] = await writer.insert(SHOP.orders, ORDER_COLUMNS, [orderRow(order, true)]);
  if (orderId === undefined) return undefined;
  await writer.insert(SHOP.orderItems, ORDER_ITEM_COLUMNS, order.items.map((item) => orderItemRow(orderId, item)));
  tally.inserted('shop.orders', 1);
  tally.inserted('shop.order_items', order.items.length);
  return orderId;
}

/** Payment outcome of a placed order: paid (with paid_at) or cancelled, at `at`. */
export async function settlePlacedOrder(writer: MariaDbWriter, orderId: number, paid: boolean, at: Date, tally: ChangeTally): Promise<void> {
  const result = await writer.run(`UPDATE ${SHOP.orders} SET status = ?, paid_at = ?, updated_at = ? WHERE id = ?`, [
    paid ? OrderStatus.Paid : OrderStatus.Cancelled,
    paid ? at : null,
    at,
    orderId,
  ]);
  // A row UPDATE that changes nothing leaves no binlog event, so it is not counted either.
  if (result.changedRows > 0) tally.updated('shop.orders', orderId);
}
