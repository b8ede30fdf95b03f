import { describe, expect, it } from 'vitest';
import { classifyPageUrl, itemOfEventName, itemOfSku } from './item-references.js';

describe('item references in Matomo names', () => {
  it.each([
    ['market.example.com/datasets/42', 42],
    ['https://market.example.com/datasets/42', 42],
    ['market.example.com/datasets/42/', 42],
    ['market.example.com/datasets/42?utm_source=mail#files', 42],
  ])('reads the dataset id of the page %s', (url, id) => {
    expect(classifyPageUrl(url)).toEqual({ kind: 'item', item: id });
  });

  it.each(['market.example.com/', 'market.example.com/datasets', 'market.example.com/datasets/', 'market.example.com/industries/finance', 'market.example.com/datasets/42/preview', 'market.example.com'])(
    'treats %s as a page that is not an item',
    (url) => {
      expect(classifyPageUrl(url)).toEqual({ kind: 'other' });
    },
  );

  it.each(['market.example.com/datasets/latest', 'market.example.com/datasets/0', 'market.example.com/datasets/99999999999999999999'])(
    'flags %s as a dataset page without a usable id',
    (url) => {
      expect(classifyPageUrl(url)).toEqual({ kind: 'malformed-item' });
    },
  );

  it('reads event names and SKUs', () => {
    expect(itemOfEventName('42')).toBe(42);
    expect(itemOfEventName('hero-banner')).toBeUndefined();
    expect(itemOfSku('DS-42')).toBe(42);
    expect(itemOfSku('SUBSCRIPTION-1')).toBeUndefined();
    expect(itemOfSku('DS-0')).toBeUndefined();
  });
});
