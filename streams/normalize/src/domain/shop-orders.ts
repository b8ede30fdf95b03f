import { InteractionAction, InteractionSource } from '@streamrec/schemas';
import { EventId, itemId, shopUserId } from './ids.js';
import type { InteractionDraft } from './interaction.js';
import type { KeyValueStore } from './key-value-store.js';
import { isValidQuantity, mapped, reject, skip, waitFor, type Mapping, type Settled } from './mapping.js';
import { RejectionReason, SkipReason } from './outcome.js';
import type { OrderItemRow, OrderRow } from '@streamrec/cdc';

/**
 * What the normaliser needs to know of an order: has it been paid. `purchased` covers `paid` and
 * `refunded` (a refunded order was paid: its items were bought, and seeing the order first in its
 * final state, as a snapshot or a bulk load shows it, must give the same purchases as watching it
 * go pending → paid → refunded live). Only one purchase per order item is ever emitted.
 */
export const OrderState = { Open: 'open', Purchased: 'purchased', Cancelled: 'cancelled' } as const;
export type OrderState = (typeof OrderState)[keyof typeof OrderState];

export type OrderRecord = { readonly state: OrderState; readonly userId: number; readonly paidAt: number | null };

/**
 * Next state for each (held state, state the row shows). `purchased` absorbs everything: a
 * re-delivered or out-of-order `pending` row after payment changes nothing, and a refund does not
 * un-buy. A cancelled order only moves if it shows up paid after all (a correction at the source).
 */
const transitions: Readonly<Record<OrderState, Readonly<Record<OrderState, OrderState>>>> = {
  [OrderState.Open]: { open: 'open', purchased: 'purchased', cancelled: 'cancelled' },
  [OrderState.Purchased]: { open: 'purchased', purchased: 'purchased', cancelled: 'purchased' },
  [OrderState.Cancelled]: { open: 'cancelled', purchased: 'purchased', cancelled: 'cancelled' },
};

const stateOfStatus: ReadonlyMap<string, OrderState> = new Map([
  ['pending', OrderState.Open],
  ['paid', OrderState.Purchased],
  ['refunded', OrderState.Purchased],
  ['cancelled', OrderState.Cancelled],
]);

export const orderKey = (orderId: number): string => String(orderId);
export const orderDependency = (orderId: number): string => `order:${orderId}`;

export type OrderUpdate = { readonly changed: boolean; readonly record: OrderRecord };

/** Folds an orders row into the held record; `changed` tells whether waiting items must be retried. */
export function applyOrderRow(orders: KeyValueStore<OrderRecord>, row: OrderRow): Settled<OrderUpdate> {
  const shown = stateOfStatus.get(row.status);
  if (shown === undefined) return reject(RejectionReason.UnknownOrderStatus, `order ${row.id} has status ${JSON.stringify(row.status)}`);
  if (shown === OrderState.Purchased && row.paid_at === null) {
    return reject(RejectionReason.MissingPaidAt, `order ${row.id} is ${row.status} but paid_at is NULL`);
  }
  const held = orders.get(orderKey(row.id));
  const state = held === undefined ? shown : transitions[held.state][shown];
  if (held !== undefined && held.state === state) return skip(SkipReason.OrderUnchanged);
  const record: OrderRecord = {
    state,
    userId: row.user_id,
    // The first payment time seen is the purchase time, whatever later rows say.
    paidAt: held?.paidAt ?? (state === OrderState.Purchased ? row.paid_at : null),
  };
  orders.set(orderKey(row.id), record);
  return mapped({ changed: true, record });
}

/**
 * An order item is a `purchase` (event time: the order's paid_at, user: the order's user) once its
 * order is purchased; until the order is known and paid it waits for `order:<id>`.
 */
export function mapOrderItem(row: OrderItemRow, orders: KeyValueStore<OrderRecord>): Mapping<InteractionDraft> {
  if (!isValidQuantity(row.quantity)) return reject(RejectionReason.InvalidQuantity, `order item ${row.id} has quantity ${row.quantity}`);
  const order = orders.get(orderKey(row.order_id));
  if (order === undefined || order.state === OrderState.Open) return waitFor([orderDependency(row.order_id)]);
  if (order.state === OrderState.Cancelled || order.paidAt === null) return skip(SkipReason.OrderCancelled);
  return mapped({
    event_id: EventId.orderItem(row.id),
    user_id: shopUserId(order.userId),
    visitor_id: null,
    item_id: itemId(row.dataset_id),
    action: InteractionAction.Purchase,
    event_time: order.paidAt,
    source: InteractionSource.Shop,
    session_id: null,
    price: row.price,
    quantity: row.quantity,
  });
}
