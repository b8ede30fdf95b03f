import { describe, expect, it } from 'vitest';
import { SourceTable } from '@streamrec/cdc';
import { addLookupKeys, emptyLookupKeys, type LookupKeys } from './lookup-keys.js';
import { createInMemoryState } from './normalize-state.js';
import { createNormalizer } from './normalizer.js';
import { Actions, actionRow, cdcFixture, Rows, VISITOR } from './testing/cdc-fixtures.js';

const asArrays = (keys: LookupKeys) => Object.fromEntries(Object.entries(keys).map(([store, set]) => [store, [...(set)].sort()]));

describe('lookup keys of a record', () => {
  const cdc = cdcFixture();

  it('names the actions and visitor of a Matomo event, the order of an order item and the version key of a dataset or user', () => {
    const keys = emptyLookupKeys();
    const state = createInMemoryState();
    addLookupKeys(keys, cdc.create(SourceTable.MatomoLinkVisitAction, Rows.event(5, { category: 200, action: 210, name: 300, url: 100 })), state);
    addLookupKeys(keys, cdc.create(SourceTable.ShopOrderItems, Rows.orderItem(1, 31, 42)), state);
    addLookupKeys(keys, cdc.create(SourceTable.ShopDatasets, Rows.dataset(42)), state);
    addLookupKeys(keys, cdc.delete(SourceTable.ShopUsers, Rows.user(7)), state);
    addLookupKeys(keys, cdc.create(SourceTable.MatomoVisit, Rows.visit({ user_id: null, idvisitor: '00000000000000ff' })), state);
    addLookupKeys(keys, cdc.create(SourceTable.ShopFavorites, Rows.favorite(3)), state);
    expect(asArrays(keys)).toEqual({ actions: ['100', '200', '210', '300'], visitors: [VISITOR], orders: ['31'], versions: ['item:42', 'user:7'] });
  });

  it('names what the parked rows released by an arriving action reference', () => {
    const state = createInMemoryState();
    const normalizer = createNormalizer({ state });
    // A download event whose name action has not arrived: parked, waiting for action:300.
    normalizer.normalize(cdc.create(SourceTable.MatomoLinkVisitAction, Rows.event(5, { category: 200, action: 210, name: 300, url: 100 }, { idvisitor: '0000000000000abc' })), { ingestTime: 0 });
    const keys = emptyLookupKeys();
    addLookupKeys(keys, cdc.create(SourceTable.MatomoAction, actionRow(Actions.name42)), state);
    expect(asArrays(keys)).toEqual({ actions: ['100', '200', '210', '300'], visitors: ['0000000000000abc'], orders: [], versions: [] });
  });
});
