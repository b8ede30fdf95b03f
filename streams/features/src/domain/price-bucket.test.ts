import { describe, expect, it } from 'vitest';
import { defaultFeaturesParams } from './features-params.js';
import { priceBucket, priceBucketLabels } from './price-bucket.js';

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
});
