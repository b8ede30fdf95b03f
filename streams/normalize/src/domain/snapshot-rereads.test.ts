import { describe, expect, it } from 'vitest';
import { SourceTable } from '@streamrec/cdc';
import { cdcFixture, Rows } from './testing/cdc-fixtures.js';
import { harness, summary } from './testing/harness.js';

const { ShopFavorites, ShopOrders, ShopOrderItems } = SourceTable;
// A dedup window of one id: what normalize remembers of emitted ids cannot hide a re-read here.
const forgetful = { dedupWindow: 1 };
const ids = (result: ReturnType<ReturnType<typeof harness>['feed']>): string[] => summary(result).map(([id]) => id);
const onPartition = <T extends object>(partition: number, input: T): T & { partition: number } => ({ ...input, partition });

describe('snapshot re-reads of append-only event rows', () => {
  it('a re-snapshot long after the rows were streamed emits only the rows never handled', () => {
    const cdc = cdcFixture();
    const h = harness(forgetful);
    expect(ids(h.feed(cdc.create(ShopFavorites, Rows.favorite(1)), cdc.create(ShopFavorites, Rows.favorite(2)), cdc.create(ShopFavorites, Rows.favorite(3))))).toHaveLength(3);
    const snapshotAt = { pos: 90_000 };
    const resnapshot = h.feed(
      cdc.read(ShopFavorites, Rows.favorite(1), snapshotAt),
      cdc.read(ShopFavorites, Rows.favorite(2), snapshotAt),
      cdc.read(ShopFavorites, Rows.favorite(3), snapshotAt),
      // Inserted while the connector was away (its binlog event purged): only the snapshot has it.
      cdc.read(ShopFavorites, Rows.favorite(4, { dataset_id: 77 }), snapshotAt),
    );
    expect(summary(resnapshot)).toEqual([[expect.stringMatching(/^shop:favorites:4:/), '227', 77, 'favorite']]);
    expect(resnapshot.skipped).toEqual(['snapshot_reread', 'snapshot_reread', 'snapshot_reread']);
  });

  it('the rows of one snapshot are never taken for re-reads of each other, whatever their order; the next snapshot re-reads them', () => {
    const cdc = cdcFixture();
    const h = harness(forgetful);
    const first = { pos: 1_000 };
    expect(ids(h.feed(cdc.read(ShopFavorites, Rows.favorite(5), first), cdc.read(ShopFavorites, Rows.favorite(3), first), cdc.read(ShopFavorites, Rows.favorite(4), first)))).toHaveLength(3);
    const second = { pos: 2_000 };
    const again = h.feed(cdc.read(ShopFavorites, Rows.favorite(3), second), cdc.read(ShopFavorites, Rows.favorite(5), second), cdc.read(ShopFavorites, Rows.favorite(6, { dataset_id: 9 }), second));
    expect(summary(again).map(([, , item]) => item)).toEqual([9]);
    expect(again.skipped).toEqual(['snapshot_reread', 'snapshot_reread']);
  });

  it('a streamed change ends the snapshot in its partition: later reads of the same snapshot position are re-reads', () => {
    const cdc = cdcFixture();
    const h = harness(forgetful);
    const at = { pos: 1_000 };
    h.feed(cdc.read(ShopFavorites, Rows.favorite(1), at), cdc.create(ShopFavorites, Rows.favorite(2)));
    expect(h.feed(cdc.read(ShopFavorites, Rows.favorite(1), { pos: 3_000 })).skipped).toEqual(['snapshot_reread']);
  });

  it('judges each input partition by its own keys', () => {
    const cdc = cdcFixture();
    const h = harness(forgetful);
    h.feed(onPartition(0, cdc.create(ShopFavorites, Rows.favorite(10))));
    const other = h.feed(onPartition(1, cdc.read(ShopFavorites, Rows.favorite(7), { pos: 5_000 })));
    expect(summary(other)).toHaveLength(1);
    expect(h.feed(onPartition(0, cdc.read(ShopFavorites, Rows.favorite(7), { pos: 5_000 }))).skipped).toEqual(['snapshot_reread']);
  });

  it('a paid order snapshotted again buys nothing twice', () => {
    const cdc = cdcFixture();
    const h = harness(forgetful);
    const bought = h.feed(
      cdc.create(ShopOrders, Rows.order(31, 'pending')),
      cdc.create(ShopOrderItems, Rows.orderItem(1, 31, 42)),
      cdc.update(ShopOrders, Rows.order(31, 'pending'), Rows.order(31, 'paid', { paid_at: 1_700_000_000_000 })),
    );
    expect(summary(bought).map(([, , item, action]) => [item, action])).toEqual([[42, 'purchase']]);
    const at = { pos: 80_000 };
    const again = h.feed(cdc.read(ShopOrders, Rows.order(31, 'paid', { paid_at: 1_700_000_000_000 }), at), cdc.read(ShopOrderItems, Rows.orderItem(1, 31, 42), at));
    expect(again.interactions).toEqual([]);
  });
});
