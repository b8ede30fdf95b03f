import { describe, expect, it } from 'vitest';
import { decimalToString } from '@streamrec/schemas';
import { itemChangeOf, splitTags, userChangeOf } from './catalogue-changes.js';
import type { ChangeEvent } from './cdc-envelope.js';
import { MapStore } from './key-value-store.js';
import type { DatasetRow, UserRow } from '@streamrec/cdc';
import { SourceTable } from '@streamrec/cdc';
import type { SourceVersion } from '@streamrec/cdc';
import { T0 } from './testing/cdc-fixtures.js';

const dataset: DatasetRow = {
  id: 3,
  title: 'US equities daily OHLCV 2015-2024',
  description: 'd',
  tags: 'finance,stock,us,ohlcv,daily',
  industry: 'finance',
  price: '199.90',
  status: 'listed',
  created_at: T0 - 1000,
  updated_at: T0,
};
const user: UserRow = { id: 8, industry: 'healthcare', country: 'cn', created_at: T0 - 1000, updated_at: T0 };
const change = (op: ChangeEvent['op'], version: number, table: SourceTable = SourceTable.ShopDatasets): ChangeEvent => ({
  table,
  op,
  row: {},
  version: version as SourceVersion,
  committedAt: T0 + 60_000,
});

describe('splitTags', () => {
  it('trims, lower-cases and de-duplicates the comma list, keeping source order', () => {
    expect(splitTags(' Finance, stock,,finance ,daily')).toEqual(['finance', 'stock', 'daily']);
    expect(splitTags('')).toEqual([]);
  });
});

describe('itemChangeOf', () => {
  it('gives the full item state with an exact price and the binlog version', () => {
    const mapping = itemChangeOf(dataset, change('c', 100), new MapStore());
    if (mapping.kind !== 'mapped') throw new TypeError(`expected an item, got ${mapping.kind}`);
    expect(mapping.value).toMatchObject({ id: 3, tags: ['finance', 'stock', 'us', 'ohlcv', 'daily'], status: 'listed', available: true, deleted: false, updated_at: T0, source_version: 100 });
    expect(decimalToString(mapping.value.price)).toBe('199.90');
  });

  it.each([
    ['listed', true],
    ['unlisted', false],
    ['draft', false],
    ['archived', false],
  ])('makes status %s available: %s', (status, available) => {
    expect(itemChangeOf({ ...dataset, status }, change('u', 100), new MapStore())).toMatchObject({ value: { status, available } });
  });

  it('marks a delete as deleted and unavailable at the commit time of the delete', () => {
    expect(itemChangeOf(dataset, change('d', 100), new MapStore())).toMatchObject({ value: { deleted: true, available: false, status: 'listed', updated_at: T0 + 60_000 } });
  });

  it('drops a re-delivered or older change of the same item', () => {
    const versions = new MapStore<number>();
    expect(itemChangeOf(dataset, change('u', 200), versions).kind).toBe('mapped');
    expect(itemChangeOf(dataset, change('u', 200), versions)).toEqual({ kind: 'skipped', reason: 'stale_version' });
    expect(itemChangeOf({ ...dataset, updated_at: T0 + 999 }, change('u', 150), versions)).toEqual({ kind: 'skipped', reason: 'stale_version' });
    expect(itemChangeOf(dataset, change('u', 201), versions).kind).toBe('mapped');
  });
});

describe('userChangeOf', () => {
  it('keeps only feature attributes, with an upper-case country', () => {
    expect(userChangeOf(user, change('c', 5, SourceTable.ShopUsers), new MapStore())).toEqual({
      kind: 'mapped',
      value: { id: 8, industry: 'healthcare', country: 'CN', company_size: null, segment: null, created_at: T0 - 1000, updated_at: T0, deleted: false, source_version: 5 },
    });
  });

  it('nulls what is blank or not a country code, and marks deletes', () => {
    const mapping = userChangeOf({ ...user, industry: ' ', country: 'China' }, change('d', 5, SourceTable.ShopUsers), new MapStore());
    expect(mapping).toMatchObject({ value: { industry: null, country: null, deleted: true, updated_at: T0 + 60_000 } });
  });

  it('orders users and items independently', () => {
    const versions = new MapStore<number>();
    itemChangeOf({ ...dataset, id: 8 }, change('u', 500), versions);
    expect(userChangeOf(user, change('u', 400, SourceTable.ShopUsers), versions).kind).toBe('mapped');
  });
});
