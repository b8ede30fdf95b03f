import { describe, expect, it } from 'vitest';
import { decimalFromString, type ItemChange } from '@streamrec/schemas';
import { itemIdOf } from './ids.js';
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
    expect(store.lookup(itemIdOf('7'), 0)).toEqual({
      industry: 'agriculture',
      tags: ['weather', 'daily'],
      price: 120.5,
      available: true,
      attributes: { createdAtMs: 1, updatedAtMs: 2, titleLength: 7, descriptionLength: 0, cjkShare: 0 },
    });
    expect(store.lookup(itemIdOf('8'), 0)).toBeUndefined();
  });

  it('keeps the items per industry through changes and deletes, and the language share of the texts', () => {
    const store = new CatalogueStore();
    store.apply(change());
    store.apply(change({ id: 8, industry: 'agriculture' }));
    store.apply(change({ id: 9, industry: 'energy', title: '天气 daily', description: '每日' }));
    expect([store.industrySize('agriculture'), store.industrySize('energy')]).toEqual([2, 1]);
    store.apply(change({ id: 8, industry: 'energy', source_version: 11 }));
    store.forget('7');
    expect([store.industrySize('agriculture'), store.industrySize('energy')]).toEqual([0, 2]);
    // 天气每日 are 4 of the 9 non-space characters.
    expect(store.lookup(itemIdOf('9'), 0)?.attributes?.cjkShare).toBeCloseTo(4 / 9, 12);
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
