import { describe, expect, it } from 'vitest';
import type { ItemId, ItemInfo } from '@streamrec/streams-common';
import { capPerIndustry, isEligible } from './shaping.js';

const info = (industry: string | null, available = true): ItemInfo => ({ industry, tags: [], price: 10, available });
const catalogue = new Map<string, ItemInfo>([
  ['1', info('finance')],
  ['2', info('finance')],
  ['3', info('finance')],
  ['4', info('retail')],
  ['5', info(null)],
  ['6', info('retail', false)],
]);
const lookup = (item: ItemId) => catalogue.get(item);
const ids = (...values: string[]) => values.map((item) => ({ item: item as ItemId }));

describe('filters', () => {
  const rules = { exclude: new Set(['2' as ItemId]), purchased: new Set(['3' as ItemId]), catalogue: lookup, allowUnknown: false };

  it('drops excluded, purchased, unavailable and (once loaded) unknown items', () => {
    expect(['1', '2', '3', '4', '6', '99'].filter((item) => isEligible(item as ItemId, rules))).toEqual(['1', '4']);
  });

  it('serves unknown items while the catalogue is still loading', () => {
    expect(isEligible('99' as ItemId, { ...rules, allowUnknown: true })).toBe(true);
    expect(isEligible('6' as ItemId, { ...rules, allowUnknown: true })).toBe(false);
  });
});

describe('per-industry cap', () => {
  it('takes at most N of one industry, then fills from the skipped ones when the list would be short', () => {
    expect(capPerIndustry(ids('1', '2', '3', '4', '5'), 4, 2, lookup).map(({ item }) => item)).toEqual(['1', '2', '4', '5']);
    expect(capPerIndustry(ids('1', '2', '3', '4'), 4, 1, lookup).map(({ item }) => item)).toEqual(['1', '4', '2', '3']);
  });

  it('never caps items without an industry', () => {
    expect(capPerIndustry(ids('5', '5', '5'), 3, 1, lookup)).toHaveLength(3);
  });
});
