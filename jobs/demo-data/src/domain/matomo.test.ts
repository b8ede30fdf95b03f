import { describe, expect, it } from 'vitest';
import { ActionType, Pages, datasetSku, pageUrlAction } from './matomo.js';
import { asDatasetId } from './types.js';

describe('pageUrlAction', () => {
  it.each([
    ['https://market.example.com/datasets/7', 'market.example.com/datasets/7', 2],
    ['https://www.market.example.com/', 'market.example.com/', 3],
    ['http://market.example.com/cart', 'market.example.com/cart', 0],
    ['http://www.market.example.com/cart', 'market.example.com/cart', 1],
  ])('stores %s as name %s with url_prefix %d, as Matomo does', (url, name, prefix) => {
    expect(pageUrlAction(url)).toEqual({ type: ActionType.PageUrl, name, urlPrefix: prefix });
  });
});

describe('Pages', () => {
  it('puts dataset pages at /datasets/{id} with the dataset title', () => {
    const page = Pages.dataset(asDatasetId(42), 'A股日线行情 2015-2024');
    expect(page.url).toBe('https://market.example.com/datasets/42');
    expect(page.title).toContain('A股日线行情 2015-2024');
    expect(page.datasetId).toBe(42);
  });

  it('uses DS-{id} as the ecommerce SKU', () => {
    expect(datasetSku(asDatasetId(42))).toBe('DS-42');
  });
});
