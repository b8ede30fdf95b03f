import { describe, expect, it } from 'vitest';
import type { ItemInfo } from '@streamrec/streams-common';
import { buildPopularSnapshot } from './popular-snapshot.js';
import { NOW, item } from '../test-fixtures.js';

const catalogue = new Map<string, ItemInfo>([
  ['9', { industry: 'finance', tags: ['rates'], price: 10, available: true }],
  ['10', { industry: 'finance', tags: ['rates', 'daily'], price: 600, available: true }],
  ['11', { industry: 'retail', tags: ['daily'], price: 10, available: true }],
  ['12', { industry: 'retail', tags: ['daily'], price: 10, available: false }],
]);

describe('popular lists', () => {
  const snapshot = buildPopularSnapshot({
    nowMs: NOW,
    popularity: [
      { item: item(9), score: 5 },
      { item: item(10), score: 5 },
      { item: item(11), score: 7 },
      { item: item(12), score: 99 },
      { item: item(13), score: 50 },
    ],
    trending: [{ item: item(12), score: 3 }, { item: item(9), score: 1 }],
    catalogue: (id) => catalogue.get(id),
    priceBucketOf: (price) => (price === null ? undefined : price < 100 ? 'lt-100' : 'gte-100'),
    listLimit: 10,
  });

  it('ranks by score, the newer (higher) id first on ties, and leaves out unavailable and unknown items', () => {
    expect(snapshot.popular.map(({ item: id }) => id)).toEqual(['11', '10', '9']);
    expect(snapshot.trending.map(({ item: id }) => id)).toEqual(['9']);
  });

  it('keeps the same order within each tag, industry and price bucket', () => {
    expect(snapshot.byTag['daily']?.map(({ item: id }) => id)).toEqual(['11', '10']);
    expect(snapshot.byIndustry['finance']?.map(({ item: id }) => id)).toEqual(['10', '9']);
    expect(snapshot.byPriceBucket['lt-100']?.map(({ item: id }) => id)).toEqual(['11', '9']);
  });
});
