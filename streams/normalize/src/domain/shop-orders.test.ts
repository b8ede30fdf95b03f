import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { MapStore } from './key-value-store.js';
import { applyOrderRow, mapOrderItem, OrderState, type OrderRecord } from './shop-orders.js';
import type { OrderItemRow, OrderRow } from '@streamrec/cdc';
import { T0 } from './testing/cdc-fixtures.js';

const order = (status: string, paidAt: number | null = status === 'paid' || status === 'refunded' ? T0 : null): OrderRow => ({
  id: 31,
  user_id: 289,
  status,
  total_amount: '10.00',
  currency: 'EUR',
  created_at: T0,
  paid_at: paidAt,
  updated_at: T0,
});
const item: OrderItemRow = { id: 5, order_id: 31, dataset_id: 42, price: '999.00', quantity: 2 };

function heldAfter(...statuses: string[]): OrderRecord | undefined {
  const orders = new MapStore<OrderRecord>();
  for (const status of statuses) applyOrderRow(orders, order(status));
  return orders.get('31');
}

describe('order state', () => {
  it.each([
    [['pending'], OrderState.Open],
    [['pending', 'paid'], OrderState.Purchased],
    [['pending', 'paid', 'refunded'], OrderState.Purchased],
    [['refunded'], OrderState.Purchased],
    [['pending', 'cancelled'], OrderState.Cancelled],
    [['paid', 'pending'], OrderState.Purchased],
    [['cancelled', 'pending'], OrderState.Cancelled],
    [['cancelled', 'paid'], OrderState.Purchased],
  ])('after %j the order is %s', (statuses, expected) => {
    expect(heldAfter(...statuses)?.state).toBe(expected);
  });

  it('keeps the first payment time it saw', () => {
    const orders = new MapStore<OrderRecord>();
    applyOrderRow(orders, order('paid', T0));
    applyOrderRow(orders, order('refunded', T0 + 5_000));
    expect(orders.get('31')).toEqual({ state: 'purchased', userId: 289, paidAt: T0 });
  });

  it('reports no change for a refund or a re-delivery of a purchased order', () => {
    const orders = new MapStore<OrderRecord>();
    expect(applyOrderRow(orders, order('paid'))).toMatchObject({ kind: 'mapped', value: { changed: true } });
    expect(applyOrderRow(orders, order('paid'))).toEqual({ kind: 'skipped', reason: 'order_unchanged' });
    expect(applyOrderRow(orders, order('refunded'))).toEqual({ kind: 'skipped', reason: 'order_unchanged' });
  });

  it('rejects an unknown status and a paid order without paid_at', () => {
    const orders = new MapStore<OrderRecord>();
    expect(applyOrderRow(orders, order('shipped'))).toMatchObject({ kind: 'rejected', rejection: { reason: 'unknown_order_status', code: ErrorCode.UnmappableEvent } });
    expect(applyOrderRow(orders, order('paid', null))).toMatchObject({ kind: 'rejected', rejection: { reason: 'missing_paid_at' } });
    expect(orders.get('31')).toBeUndefined();
  });
});

describe('mapOrderItem', () => {
  it('is a purchase by the order user at paid_at once the order is purchased', () => {
    const orders = new MapStore<OrderRecord>({ '31': { state: 'purchased', userId: 289, paidAt: T0 } });
    expect(mapOrderItem(item, orders)).toEqual({
      kind: 'mapped',
      value: {
        event_id: 'shop:order_items:5',
        user_id: '289',
        visitor_id: null,
        item_id: 42,
        action: 'purchase',
        event_time: T0,
        source: 'shop',
        session_id: null,
        price: '999.00',
        quantity: 2,
      },
    });
  });

  it('waits for an unknown or open order', () => {
    expect(mapOrderItem(item, new MapStore<OrderRecord>())).toEqual({ kind: 'missing', waitingFor: ['order:31'] });
    const open = new MapStore<OrderRecord>({ '31': { state: 'open', userId: 289, paidAt: null } });
    expect(mapOrderItem(item, open)).toEqual({ kind: 'missing', waitingFor: ['order:31'] });
  });

  it('is nothing for a cancelled order', () => {
    const cancelled = new MapStore<OrderRecord>({ '31': { state: 'cancelled', userId: 289, paidAt: null } });
    expect(mapOrderItem(item, cancelled)).toEqual({ kind: 'skipped', reason: 'order_cancelled' });
  });

  it('rejects zero units', () => {
    expect(mapOrderItem({ ...item, quantity: 0 }, new MapStore<OrderRecord>())).toMatchObject({ kind: 'rejected', rejection: { reason: 'invalid_quantity' } });
  });
});
