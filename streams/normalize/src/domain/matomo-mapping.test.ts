import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { decodeRow } from '@streamrec/cdc';
import { actionKey, storedActionOf } from './matomo-actions.js';
import { mapConversionItem, mapLinkVisitAction } from './matomo-mapping.js';
import { MapStore } from './key-value-store.js';
import { actionId } from './ids.js';
import type { StoredAction } from './matomo-actions.js';
import { FactSource, resolveNormalizeSettings } from './settings.js';
import { ConversionItemColumns, LinkVisitActionColumns, MatomoActionColumns } from '@streamrec/cdc';
import { Actions, actionRow, Rows, T0, VISITOR, type ActionFixture } from './testing/cdc-fixtures.js';

const settings = resolveNormalizeSettings();
const matomoFacts = resolveNormalizeSettings({ favoriteSource: FactSource.Matomo, purchaseSource: FactSource.Matomo });

function lookup(...actions: ActionFixture[]): MapStore<StoredAction> {
  const store = new MapStore<StoredAction>();
  for (const action of actions) {
    const row = decodeRow(actionRow(action), MatomoActionColumns).row;
    if (row) store.set(actionKey(actionId(row.idaction)), storedActionOf(row));
  }
  return store;
}
const allActions = lookup(...Object.values(Actions));

const linkRow = (row: Record<string, unknown>) => {
  const decoded = decodeRow(row, LinkVisitActionColumns).row;
  if (!decoded) throw new TypeError('fixture row does not decode');
  return decoded;
};
const event = (action: ActionFixture, name: ActionFixture | null, over: Record<string, unknown> = {}) =>
  linkRow(Rows.event(11, { category: Actions.category.id, action: action.id, name: name?.id ?? null, url: Actions.datasetPage42.id }, over));

describe('mapLinkVisitAction', () => {
  it('maps a pageview of a dataset page to a view at server_time in the visit', () => {
    const mapping = mapLinkVisitAction(linkRow(Rows.pageview(9, Actions.datasetPage42.id)), allActions, settings);
    expect(mapping).toEqual({
      kind: 'mapped',
      value: {
        event_id: 'matomo:lva:9',
        visitor_id: VISITOR,
        item_id: 42,
        action: 'view',
        event_time: T0,
        source: 'matomo',
        session_id: '7',
        price: null,
        quantity: null,
      },
    });
  });

  it.each([
    [Actions.download, 'download'],
    [Actions.click, 'click'],
    [Actions.addToCart, 'cart'],
  ])('maps the dataset event %o to %s of the item the event names', (action, expected) => {
    const mapping = mapLinkVisitAction(event(action, Actions.name42), allActions, settings);
    expect(mapping).toMatchObject({ kind: 'mapped', value: { action: expected, item_id: 42, event_id: 'matomo:lva:11' } });
  });

  it('maps a favourite event only when favourites are taken from Matomo', () => {
    expect(mapLinkVisitAction(event(Actions.favorite, Actions.name42), allActions, settings)).toEqual({ kind: 'skipped', reason: 'fact_from_other_source' });
    expect(mapLinkVisitAction(event(Actions.favorite, Actions.name42), allActions, matomoFacts)).toMatchObject({ kind: 'mapped', value: { action: 'favorite' } });
  });

  it('gives add_to_cart the event value as the price', () => {
    const mapping = mapLinkVisitAction(event(Actions.addToCart, Actions.name42, { custom_float: 149.9 }), allActions, settings);
    expect(mapping).toMatchObject({ kind: 'mapped', value: { action: 'cart', price: '149.90', quantity: null } });
  });

  it('falls back to the page URL when the event name is not a dataset id', () => {
    const mapping = mapLinkVisitAction(event(Actions.download, Actions.nameNotAnId), allActions, settings);
    expect(mapping).toMatchObject({ kind: 'mapped', value: { action: 'download', item_id: 42 } });
  });

  it('skips pages that are not items and events of other categories', () => {
    expect(mapLinkVisitAction(linkRow(Rows.pageview(9, Actions.homePage.id)), allActions, settings)).toEqual({ kind: 'skipped', reason: 'not_an_item_page' });
    expect(mapLinkVisitAction(linkRow(Rows.pageview(9, Actions.pageTitle.id)), allActions, settings)).toEqual({ kind: 'skipped', reason: 'not_a_pageview' });
    expect(mapLinkVisitAction(linkRow(Rows.pageview(9, 0)), allActions, settings)).toEqual({ kind: 'skipped', reason: 'not_a_pageview' });
    const video = linkRow(Rows.event(12, { category: Actions.videoCategory.id, action: Actions.click.id, name: Actions.name42.id }));
    expect(mapLinkVisitAction(video, allActions, settings)).toEqual({ kind: 'skipped', reason: 'other_event_category' });
  });

  it.each([
    ['a dataset URL without an id', linkRow(Rows.pageview(9, Actions.badDatasetPage.id)), 'unmapped_url'],
    ['an unknown dataset event action', event(Actions.share, Actions.name42), 'unknown_event_action'],
    ['an event row without an action', linkRow(Rows.event(11, { category: Actions.category.id, action: 0, name: Actions.name42.id })), 'unknown_event_action'],
    [
      'an event that names no dataset, sent from no dataset page',
      linkRow(Rows.event(11, { category: Actions.category.id, action: Actions.click.id, name: Actions.nameNotAnId.id, url: Actions.homePage.id })),
      'unmapped_event_item',
    ],
    ['an event category that is a page URL action', linkRow(Rows.event(11, { category: Actions.homePage.id, action: Actions.click.id, name: Actions.name42.id })), 'unexpected_action_type'],
    ['an event name that is a SKU action', event(Actions.click, Actions.sku42), 'unexpected_action_type'],
    ['a cart value that is no price', event(Actions.addToCart, Actions.name42, { custom_float: -5 }), 'invalid_money'],
  ])('rejects %s', (_what, row, reason) => {
    expect(mapLinkVisitAction(row, allActions, settings)).toMatchObject({ kind: 'rejected', rejection: { reason, code: ErrorCode.UnmappableEvent } });
  });

  it('waits for every action it needs that has not arrived', () => {
    const known = lookup(Actions.category);
    const mapping = mapLinkVisitAction(event(Actions.download, Actions.name42), known, settings);
    expect(mapping).toEqual({ kind: 'missing', waitingFor: [`action:${Actions.download.id}`, `action:${Actions.name42.id}`] });
  });

  it('waits for the page URL only when the event name does not name the item', () => {
    const known = lookup(Actions.category, Actions.download, Actions.nameNotAnId);
    expect(mapLinkVisitAction(event(Actions.download, Actions.nameNotAnId), known, settings)).toEqual({
      kind: 'missing',
      waitingFor: [`action:${Actions.datasetPage42.id}`],
    });
  });

  it('resolves references Debezium wrote as negative numbers', () => {
    const store = lookup();
    store.set(actionKey(actionId(2 ** 32 - 7)), { type: 1, name: 'market.example.com/datasets/42' });
    expect(mapLinkVisitAction(linkRow(Rows.pageview(9, -7)), store, settings)).toMatchObject({ kind: 'mapped', value: { item_id: 42 } });
  });
});

describe('mapConversionItem', () => {
  const item = (over: Record<string, unknown> = {}) => {
    const decoded = decodeRow(Rows.conversionItem(over), ConversionItemColumns).row;
    if (!decoded) throw new TypeError('fixture row does not decode');
    return decoded;
  };

  it('maps an order item to a purchase with price and quantity when purchases come from Matomo', () => {
    expect(mapConversionItem(item({ quantity: 2, price: 19.9 }), allActions, matomoFacts)).toEqual({
      kind: 'mapped',
      value: {
        event_id: 'matomo:conversion_item:7:31:500',
        visitor_id: VISITOR,
        item_id: 42,
        action: 'purchase',
        event_time: T0,
        source: 'matomo',
        session_id: '7',
        price: '19.90',
        quantity: 2,
      },
    });
  });

  it('leaves purchases to the shop by default', () => {
    expect(mapConversionItem(item(), allActions, settings)).toEqual({ kind: 'skipped', reason: 'fact_from_other_source' });
  });

  it('skips abandoned-cart and deleted items', () => {
    expect(mapConversionItem(item({ idorder: '0' }), allActions, matomoFacts)).toEqual({ kind: 'skipped', reason: 'abandoned_cart_item' });
    expect(mapConversionItem(item({ deleted: 1 }), allActions, matomoFacts)).toEqual({ kind: 'skipped', reason: 'deleted_cart_item' });
  });

  it.each([
    ['a SKU that is not DS-<id>', item({ idaction_sku: Actions.skuOther.id }), 'unmapped_sku'],
    ['a SKU reference to another action type', item({ idaction_sku: Actions.name42.id }), 'unexpected_action_type'],
    ['a price that does not fit decimal(12,2)', item({ price: 1e12 }), 'invalid_money'],
    ['zero units', item({ quantity: 0 }), 'invalid_quantity'],
  ])('rejects %s', (_what, row, reason) => {
    expect(mapConversionItem(row, allActions, matomoFacts)).toMatchObject({ kind: 'rejected', rejection: { reason } });
  });

  it('waits for its SKU action', () => {
    expect(mapConversionItem(item(), lookup(), matomoFacts)).toEqual({ kind: 'missing', waitingFor: [`action:${Actions.sku42.id}`] });
  });
});
