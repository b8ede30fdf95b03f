import { describe, expect, it } from 'vitest';
import { decimalFromString, type ItemChange } from '@streamrec/schemas';
import { itemIdOf } from '@streamrec/streams-common';
import { CatalogueStore } from './catalogue-store.js';

const change = (overrides: Partial<ItemChange> = {}): ItemChange => ({
  id: 7,
  title: 'Weather',
  description: '',
  tags: ['weather', 'daily'],
  industry: 'agriculture',
  price: decimalFromString('120.50'),
  status: 'listed',
  available: true,
  deleted: false,
  created_at: 1,
  updated_at: 2,
  source_version: 10,
  ...overrides,
});

describe('the in-memory catalogue', () => {
  it('answers tags, industry and the price as a number for a known item', () => {
    const store = new CatalogueStore();
    store.apply(change());
    expect(store.lookup(itemIdOf('7'), 0)).toEqual({ industry: 'agriculture', tags: ['weather', 'daily'], price: 120.5, available: true });
    expect(store.lookup(itemIdOf('8'), 0)).toBeUndefined();
  });

  it('ignores a re-delivered or older change and keeps the newest source version', () => {
    const store = new CatalogueStore();
    expect(store.apply(change({ source_version: 20, industry: 'energy' }))).toBe(true);
    expect(store.apply(change({ source_version: 20, industry: 'finance' }))).toBe(false);
    expect(store.apply(change({ source_version: 5, industry: 'finance' }))).toBe(false);
    expect(store.lookup(itemIdOf('7'), 0)?.industry).toBe('energy');
  });

  it('marks a deleted item unavailable and forgets it on a tombstone', () => {
    const store = new CatalogueStore();
    store.apply(change({ deleted: true, source_version: 11 }));
    expect(store.lookup(itemIdOf('7'), 0)?.available).toBe(false);
    store.forget('7');
    expect(store.size).toBe(0);
  });
});
