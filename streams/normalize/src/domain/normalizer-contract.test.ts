/**
 * What the adapter relies on, whatever the input: every bad input is dead-lettered with a coded
 * reason (never thrown), every output encodes with the topic's Avro schema, and the returned state
 * changes alone rebuild the state, so a restart from persisted state continues exactly.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import type { CdcInput } from './normalizer.js';
import { createInMemoryState, type StateChange, type StateSnapshot } from './normalize-state.js';
import { codeOf, RejectionReason } from './outcome.js';
import type { NormalizeSettings } from './settings.js';
import { cdcTopicOf, cdcTopics, SourceTable } from '@streamrec/cdc';
import { Actions, actionRow, cdcFixture, Rows, T0 } from './testing/cdc-fixtures.js';
import { harness } from './testing/harness.js';

const { MatomoAction, MatomoLinkVisitAction, MatomoVisit, MatomoConversionItem, ShopOrders, ShopOrderItems, ShopDatasets } = SourceTable;
const cdc = cdcFixture();
const withActions = (...inputs: CdcInput[]): CdcInput[] => [...Object.values(Actions).map((a) => cdc.create(MatomoAction, actionRow(a))), ...inputs];
const envelope = (patch: Record<string, unknown>): CdcInput => {
  const record = cdc.create(ShopDatasets, Rows.dataset(3));
  return { topic: record.topic, value: { ...(record.value as Record<string, unknown>), ...patch } };
};
const event = (action: number, name: number, over: Record<string, unknown> = {}) =>
  cdc.create(MatomoLinkVisitAction, Rows.event(11, { category: Actions.category.id, action, name, url: Actions.homePage.id }, over));

const badInputs: Record<RejectionReason, { inputs: CdcInput[]; settings?: Partial<NormalizeSettings> }> = {
  not_an_envelope: { inputs: [{ topic: cdcTopicOf(ShopDatasets), value: 'c' }] },
  unknown_table: { inputs: [{ topic: 'cdc.shop.wishlists', value: {} }] },
  missing_op: { inputs: [envelope({ op: null })] },
  unsupported_op: { inputs: [envelope({ op: 't' })] },
  missing_row_image: { inputs: [envelope({ after: null })] },
  missing_source_position: { inputs: [envelope({ source: {} })] },
  missing_column: { inputs: [cdc.create(ShopDatasets, { ...Rows.dataset(3), title: undefined })] },
  wrong_type: { inputs: [cdc.create(ShopDatasets, Rows.dataset(3, { price: 12.5 }))] },
  unmapped_url: { inputs: withActions(cdc.create(MatomoLinkVisitAction, Rows.pageview(9, Actions.badDatasetPage.id))) },
  unknown_event_action: { inputs: withActions(event(Actions.share.id, Actions.name42.id)) },
  unmapped_event_item: { inputs: withActions(event(Actions.click.id, Actions.nameNotAnId.id)) },
  unmapped_sku: { inputs: withActions(cdc.create(MatomoConversionItem, Rows.conversionItem({ idaction_sku: Actions.skuOther.id }))), settings: { purchaseSource: 'matomo' } },
  unexpected_action_type: { inputs: withActions(event(Actions.click.id, Actions.sku42.id)) },
  invalid_money: { inputs: withActions(event(Actions.addToCart.id, Actions.name42.id, { custom_float: -1 })) },
  invalid_quantity: { inputs: [cdc.create(ShopOrderItems, Rows.orderItem(1, 31, 42, { quantity: 0 }))] },
  invalid_user_id: { inputs: [cdc.create(MatomoVisit, Rows.visit({ user_id: 'alice@example.com' }))] },
  unknown_order_status: { inputs: [cdc.create(ShopOrders, Rows.order(31, 'shipped'))] },
  missing_paid_at: { inputs: [cdc.create(ShopOrders, Rows.order(31, 'paid', { paid_at: null }))] },
  pending_evicted: { inputs: [1, 2].map((n) => cdc.create(MatomoLinkVisitAction, Rows.pageview(n, 999))), settings: { parkingCapacity: 1 } },
};

describe('normalizer contract', () => {
  it('covers every rejection reason with a bad input', () => {
    expect(Object.keys(badInputs).sort()).toEqual(Object.values(RejectionReason).sort());
  });

  it.each(Object.entries(badInputs))('dead-letters %s under its code instead of throwing', (reason, { inputs, settings }) => {
    const result = harness(settings).feed(...inputs);
    expect(result.deadLetters.map((letter) => letter.rejection.reason)).toEqual([reason]);
    const [letter] = result.deadLetters;
    expect(letter?.rejection.code).toBe(codeOf(reason as RejectionReason));
    expect([ErrorCode.CdcEnvelopeInvalid, ErrorCode.UnmappableEvent, ErrorCode.UnresolvedReference]).toContain(letter?.rejection.code);
    expect(letter?.rejection.message.length).toBeGreaterThan(0);
    expect(result.interactions).toEqual([]);
  });

  it('accounts for every record, even random garbage, without throwing', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const values = [null, 0, -1, 2 ** 40, 1.5, '', 'x', '42', 'DS-42', 'a1b2c3d4e5f60718', true, [], {}];
    const pick = (): unknown => values[Math.floor(random() * values.length)];
    const h = harness();
    for (let n = 0; n < 2_000; n += 1) {
      const topic = cdcTopics[Math.floor(random() * cdcTopics.length)] ?? '';
      const base = cdc.create(SourceTable.ShopUsers, {}).value as Record<string, unknown>;
      const row = Object.fromEntries(['id', 'idaction', 'idlink_va', 'idvisitor', 'name', 'type', 'status', 'user_id', 'server_time', 'price', 'quantity'].map((column) => [column, pick()]));
      const op = ['c', 'u', 'd', 'r', 'x'][Math.floor(random() * 5)];
      const result = h.feed({ topic, value: { ...base, op, before: row, after: row } });
      // An action row or a first pending order only updates state.
      const accounted = [result.interactions, result.items, result.users, result.deadLetters, result.skipped, result.parked, result.stateChanges].reduce((sum, list) => sum + list.length, 0);
      expect(accounted).toBeGreaterThan(0);
    }
  });

  it('produces values the Avro codecs of the output topics encode', () => {
    const matomo = harness({ purchaseSource: 'matomo' }).feed(
      ...withActions(
        cdc.create(MatomoLinkVisitAction, Rows.pageview(9, Actions.datasetPage42.id)),
        event(Actions.addToCart.id, Actions.name42.id, { custom_float: 149.9 }),
        cdc.create(MatomoConversionItem, Rows.conversionItem()),
        cdc.create(MatomoVisit, Rows.visit({ user_id: '7' })),
      ),
    );
    const shop = harness().feed(
      cdc.create(ShopOrders, Rows.order(31, 'paid')),
      cdc.create(ShopOrderItems, Rows.orderItem(1, 31, 42)),
      cdc.create(SourceTable.ShopFavorites, Rows.favorite(5)),
      cdc.create(ShopDatasets, Rows.dataset(3)),
      cdc.delete(ShopDatasets, Rows.dataset(3)),
      cdc.create(SourceTable.ShopUsers, Rows.user(8)),
    );
    const interactions = [...matomo.interactions, ...shop.interactions];
    // The anonymous visitor's view, cart and purchase are re-emitted under user 7 on login.
    expect(interactions.map((i) => i.action).sort()).toEqual(['cart', 'cart', 'favorite', 'purchase', 'purchase', 'purchase', 'view', 'view']);
    const codecs = { interactions: createEventCodec(AvroSchemaName.Interactions), items: createEventCodec(AvroSchemaName.Items), users: createEventCodec(AvroSchemaName.Users) };
    for (const value of interactions) expect(codecs.interactions.decode(codecs.interactions.encode(value))).toEqual(value);
    for (const value of shop.items) expect(codecs.items.decode(codecs.items.encode(value))).toEqual(value);
    for (const value of shop.users) expect(codecs.users.decode(codecs.users.encode(value))).toEqual(value);
    expect(shop.items).toHaveLength(2);
  });
});

describe('normalizer state persistence', () => {
  const stream = (): CdcInput[] => {
    const c = cdcFixture();
    return [
      c.create(MatomoLinkVisitAction, Rows.pageview(1, Actions.datasetPage42.id, { server_time: T0 - 1_000 })),
      c.create(MatomoAction, actionRow(Actions.datasetPage42)),
      c.create(ShopOrderItems, Rows.orderItem(1, 31, 42)),
      c.create(ShopDatasets, Rows.dataset(3)),
      c.create(MatomoLinkVisitAction, Rows.pageview(2, Actions.datasetPage42.id)),
      c.create(ShopOrders, Rows.order(31, 'pending')),
      c.create(MatomoVisit, Rows.visit({ user_id: '7' })),
      c.update(ShopOrders, Rows.order(31, 'pending'), Rows.order(31, 'paid')),
      c.create(MatomoLinkVisitAction, Rows.pageview(3, Actions.datasetPage42.id)),
      c.create(MatomoLinkVisitAction, Rows.pageview(2, Actions.datasetPage42.id)),
      c.create(ShopDatasets, Rows.dataset(3)),
    ];
  };

  function applyChanges(changes: readonly StateChange[]): StateSnapshot {
    const state = createInMemoryState();
    for (const change of changes) {
      const store = state[change.store] as { set(key: string, value: unknown): void; delete(key: string): void };
      if (change.value === null) store.delete(change.key);
      else store.set(change.key, change.value);
    }
    return state.snapshot();
  }

  it('returns state changes that rebuild the state on their own, as Redis would hold it', () => {
    const h = harness({ dedupWindow: 3, parkingCapacity: 2 });
    const result = h.feed(...stream());
    expect(result.stateChanges.length).toBeGreaterThan(0);
    expect(applyChanges(result.stateChanges)).toEqual(h.state.snapshot());
  });

  it('continues from a snapshot restored through JSON exactly as an uninterrupted run', () => {
    const inputs = stream();
    const uninterrupted = harness().feed(...inputs);
    const first = harness();
    const before = first.feed(...inputs.slice(0, 5));
    const restored = JSON.parse(JSON.stringify(first.state.snapshot())) as StateSnapshot;
    const after = harness({}, restored).feed(...inputs.slice(5));
    expect([...before.interactions, ...after.interactions]).toEqual(uninterrupted.interactions);
    expect([...before.items, ...after.items]).toEqual(uninterrupted.items);
    expect(uninterrupted.interactions.map((i) => i.event_id)).toEqual([
      'matomo:lva:1',
      'matomo:lva:2',
      'stitch:7:matomo:lva:1',
      'stitch:7:matomo:lva:2',
      'shop:order_items:1',
      'matomo:lva:3',
    ]);
  });
});
