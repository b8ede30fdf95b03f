/**
 * Log-scale price buckets for preferences and the price-bucket recall index: `free` (exactly 0),
 * `lt-<bound>` for each bound, `gte-<last bound>`. Unknown or negative prices have no bucket.
 */
export const FREE_PRICE_BUCKET = 'free';

export function priceBucket(price: number | null, bounds: readonly number[]): string | undefined {
  if (price === null || !Number.isFinite(price) || price < 0) return undefined;
  if (price === 0) return FREE_PRICE_BUCKET;
  for (const bound of bounds) if (price < bound) return `lt-${bound}`;
  return `gte-${bounds.at(-1) ?? 0}`;
}

/** Every bucket label, cheapest first (for readers that show or iterate buckets). */
export function priceBucketLabels(bounds: readonly number[]): string[] {
  return [FREE_PRICE_BUCKET, ...bounds.map((bound) => `lt-${bound}`), `gte-${bounds.at(-1) ?? 0}`];
}

/** Index of the price's bucket in `priceBucketLabels` order (free = 0); −1 when the price has no bucket. */
export function priceBucketIndex(price: number | null, bounds: readonly number[]): number {
  const bucket = priceBucket(price, bounds);
  return bucket === undefined ? -1 : priceBucketLabels(bounds).indexOf(bucket);
}

/** `priceBucketIndex` for fixed bounds, with the labels listed once (a reader calls it for every candidate). */
export function priceBucketIndexer(bounds: readonly number[]): (price: number | null) => number {
  const indexOf = new Map<string, number>();
  priceBucketLabels(bounds).forEach((label, index) => {
    if (!indexOf.has(label)) indexOf.set(label, index);
  });
  return (price) => {
    const bucket = priceBucket(price, bounds);
    return bucket === undefined ? -1 : (indexOf.get(bucket) ?? -1);
  };
}
