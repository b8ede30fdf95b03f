import { describe, expect, it } from 'vitest';
import { defaultFeaturesParams } from './features-params.js';
import { priceBucket, priceBucketIndex, priceBucketIndexer, priceBucketLabels, priceBucketer } from './price-bucket.js';

const bounds = defaultFeaturesParams.priceBucketBounds;

describe('price buckets', () => {
  it('puts prices into free, <50, <200, <1000, <5000 and ≥5000', () => {
    const cases: [number, string][] = [[0, 'free'], [0.01, 'lt-50'], [49.99, 'lt-50'], [50, 'lt-200'], [199.99, 'lt-200'], [200, 'lt-1000'], [4_999, 'lt-5000'], [5_000, 'gte-5000'], [1e9, 'gte-5000']];
    for (const [price, bucket] of cases) expect(priceBucket(price, bounds), `price ${price}`).toBe(bucket);
  });

  it('gives no bucket to unknown, negative or non-finite prices', () => {
    for (const price of [null, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(priceBucket(price, bounds)).toBeUndefined();
  });

  it('lists every label in price order, following configured bounds', () => {
    expect(priceBucketLabels(bounds)).toEqual(['free', 'lt-50', 'lt-200', 'lt-1000', 'lt-5000', 'gte-5000']);
    expect(priceBucket(15, [10, 100])).toBe('lt-100');
  });

  it('indexes buckets in label order, the same with labels listed once or per call', () => {
    const indexOf = priceBucketIndexer(bounds);
    const prices = [null, -1, Number.NaN, 0, 0.01, 49.99, 50, 199.99, 200, 999, 1_000, 4_999, 5_000, 1e9];
    expect(prices.map(indexOf)).toEqual([-1, -1, -1, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    for (const price of prices) expect(indexOf(price), `price ${price}`).toBe(priceBucketIndex(price, bounds));
    const repeated = [10, 10, 20];
    expect([5, 10, 15, 25].map(priceBucketIndexer(repeated))).toEqual([5, 10, 15, 25].map((price) => priceBucketIndex(price, repeated)));
  });

  it('gives the same label and index as the per-call functions, for any bounds', () => {
    const prices = [null, -1, Number.NaN, Number.POSITIVE_INFINITY, 0, 0.01, 5, 9.99, 10, 15, 20, 25, 49.99, 50, 199.99, 200, 999, 1_000, 4_999, 5_000, 1e9];
    for (const someBounds of [bounds, [10, 10, 20], [20, 10, 20], [100], []]) {
      const bucketer = priceBucketer(someBounds);
      for (const price of prices) {
        expect(bucketer.labelOf(price), `price ${price}, bounds ${someBounds.join(',')}`).toBe(priceBucket(price, someBounds));
        expect(bucketer.indexOf(price), `price ${price}, bounds ${someBounds.join(',')}`).toBe(priceBucketIndex(price, someBounds));
      }
    }
  });
});
