import { describe, expect, it } from 'vitest';
import { decimalToString } from '@streamrec/schemas';
import { SourceTable } from '@streamrec/cdc';
import { cdcFixture, Rows, T0 } from './testing/cdc-fixtures.js';
import { harness, summary } from './testing/harness.js';

const { ShopOrders, ShopOrderItems, ShopFavorites, ShopDatasets, ShopUsers } = SourceTable;

describe('normalizer: shop orders', () => {
  it('emits a purchase per item when the order turns paid after its items arrived', () => {
    const cdc = cdcFixture();
    const h = harness();
    const placed = h.feed(
      cdc.create(ShopOrders, Rows.order(31, 'pending')),
      cdc.create(ShopOrderItems, Rows.orderItem(1, 31, 42)),
      cdc.create(ShopOrderItems, Rows.orderItem(2, 31, 43, { price: '19.90', quantity: 3 })),
    );
    expect(placed.interactions).toEqual([]);
    expect(placed.parked.map((note) => note.key)).toEqual(['shop:order_items:1', 'shop:order_items:2']);
    const paid = h.feed(cdc.update(ShopOrders, Rows.order(31, 'pending'), Rows.order(31, 'paid', { paid_at: T0 + 5_000 })));
    expect(summary(paid)).toEqual([
      ['shop:order_items:1', '289', 42, 'purchase'],
      ['shop:order_items:2', '289', 43, 'purchase'],
    ]);
    expect(paid.interactions[1]).toMatchObject({ event_time: T0 + 5_000, source: 'shop', quantity: 3, visitor_id: null });
    const price = paid.interactions[1]?.price;
    expect(price && decimalToString(price)).toBe('19.90');
    expect(h.state.snapshot().parked).toEqual({});
  });

  it('emits the purchase as soon as an item arrives for an order already paid', () => {
    const cdc = cdcFixture();
    const h = harness();
    h.feed(cdc.create(ShopOrders, Rows.order(31, 'paid')));
    expect(summary(h.feed(cdc.create(ShopOrderItems, Rows.orderItem(1, 31, 42))))).toEqual([['shop:order_items:1', '289', 42, 'purchase']]);
  });

  it('emits the same purchases whichever of order and items arrives first', () => {
    const orderRows = [Rows.order(31, 'pending'), Rows.order(31, 'paid')];
    const itemRows = [Rows.orderItem(1, 31, 42), Rows.orderItem(2, 31, 43)];
    const ordersFirst = cdcFixture();
    const itemsFirst = cdcFixture();
    const a = harness().feed(...orderRows.map((r) => ordersFirst.create(ShopOrders, r)), ...itemRows.map((r) => ordersFirst.create(ShopOrderItems, r)));
    const b = harness().feed(...itemRows.map((r) => itemsFirst.create(ShopOrderItems, r)), ...orderRows.map((r) => itemsFirst.create(ShopOrders, r)));
    expect(a.interactions).toEqual(b.interactions);
    expect(a.interactions).toHaveLength(2);
  });

  it('emits no second purchase on a refund, a re-delivered order or a re-delivered item', () => {
    const cdc = cdcFixture();
    const h = harness();
    const result = h.feed(
      cdc.create(ShopOrders, Rows.order(31, 'paid')),
      cdc.create(ShopOrderItems, Rows.orderItem(1, 31, 42)),
      cdc.update(ShopOrders, Rows.order(31, 'paid'), Rows.order(31, 'refunded')),
      cdc.create(ShopOrders, Rows.order(31, 'paid')),
      cdc.create(ShopOrderItems, Rows.orderItem(1, 31, 42)),
    );
    expect(summary(result)).toEqual([['shop:order_items:1', '289', 42, 'purchase']]);
    expect(result.skipped).toEqual(['order_unchanged', 'order_unchanged', 'duplicate_event']);
  });

  it('counts an order first seen refunded as bought, like one watched live', () => {
    const cdc = cdcFixture();
    const result = harness().feed(cdc.read(ShopOrderItems, Rows.orderItem(1, 31, 42)), cdc.read(ShopOrders, Rows.order(31, 'refunded')));
    expect(summary(result)).toEqual([['shop:order_items:1', '289', 42, 'purchase']]);
  });

  it('drops the waiting items of a cancelled order, and items arriving after it', () => {
    const cdc = cdcFixture();
    const h = harness();
    const result = h.feed(
      cdc.create(ShopOrderItems, Rows.orderItem(1, 31, 42)),
      cdc.create(ShopOrders, Rows.order(31, 'pending')),
      cdc.update(ShopOrders, Rows.order(31, 'pending'), Rows.order(31, 'cancelled')),
      cdc.create(ShopOrderItems, Rows.orderItem(2, 31, 43)),
    );
    expect(result.interactions).toEqual([]);
    expect(result.skipped.filter((reason) => reason === 'order_cancelled')).toHaveLength(2);
    expect(h.state.snapshot().parked).toEqual({});
  });

  it('ignores orders and order items when purchases come from Matomo', () => {
    const cdc = cdcFixture();
    const result = harness({ purchaseSource: 'matomo' }).feed(cdc.create(ShopOrders, Rows.order(31, 'paid')), cdc.create(ShopOrderItems, Rows.orderItem(1, 31, 42)));
    expect(result.interactions).toEqual([]);
    expect(result.skipped).toEqual(['fact_from_other_source', 'fact_from_other_source']);
  });
});

describe('normalizer: shop favourites', () => {
  it('emits a favourite at created_at with an id that survives re-delivery', () => {
    const cdc = cdcFixture();
    const result = harness().feed(
      cdc.create(ShopFavorites, Rows.favorite(5)),
      cdc.read(ShopFavorites, Rows.favorite(5)),
      cdc.delete(ShopFavorites, Rows.favorite(5)),
      cdc.tombstone(ShopFavorites),
    );
    expect(summary(result)).toEqual([[`shop:favorites:5:${T0}`, '227', 492, 'favorite']]);
    expect(result.interactions[0]?.event_time).toBe(T0);
    expect(result.skipped).toEqual(['snapshot_reread', 'source_delete', 'tombstone']);
  });

  it('leaves favourites to Matomo when configured to', () => {
    expect(harness({ favoriteSource: 'matomo' }).feed(cdcFixture().create(ShopFavorites, Rows.favorite(5))).skipped).toEqual(['fact_from_other_source']);
  });
});

describe('normalizer: catalogue and users', () => {
  it('emits each dataset change with its binlog version and drops an older one delivered late', () => {
    const cdc = cdcFixture();
    const h = harness();
    const listed = cdc.create(ShopDatasets, Rows.dataset(3), { pos: 1_000 });
    const unlisted = cdc.update(ShopDatasets, Rows.dataset(3), Rows.dataset(3, { status: 'unlisted', updated_at: T0 + 1 }), { pos: 2_000 });
    const result = h.feed(unlisted, listed, unlisted);
    expect(result.items).toHaveLength(1);
    expect(result.items[0]).toMatchObject({ id: 3, status: 'unlisted', available: false, source_version: 2 ** 32 + 2_000 });
    expect(result.skipped).toEqual(['stale_version', 'stale_version']);
  });

  it('marks a deleted dataset deleted and unavailable, and ignores the tombstone', () => {
    const cdc = cdcFixture();
    const result = harness().feed(cdc.create(ShopDatasets, Rows.dataset(3)), cdc.delete(ShopDatasets, Rows.dataset(3), { tsMs: T0 + 9_000 }), cdc.tombstone(ShopDatasets));
    expect(result.items.map((item) => [item.deleted, item.available, item.updated_at])).toEqual([
      [false, true, T0],
      [true, false, T0 + 9_000],
    ]);
    expect(result.skipped).toEqual(['tombstone']);
  });

  it('emits user profiles without personal data', () => {
    const result = harness().feed(cdcFixture().create(ShopUsers, Rows.user(8)));
    expect(result.users).toEqual([
      { id: 8, industry: 'healthcare', country: 'CN', company_size: null, segment: null, created_at: T0 - 86_400_000, updated_at: T0, deleted: false, source_version: 2 ** 32 + 104 },
    ]);
    expect(JSON.stringify(result.users)).not.toMatch(/qq\.com|徐娟|深圳/);
  });
});
