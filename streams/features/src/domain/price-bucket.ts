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

/** `priceBucket` and `priceBucketIndex` for fixed bounds, for readers that call them for every candidate. */
export interface PriceBucketer {
  readonly labelOf: (price: number | null) => string | undefined;
  readonly indexOf: (price: number | null) => number;
}

/** A `PriceBucketer` that finds the bucket by comparing numbers and hands out labels made once (no string per call). */
export function priceBucketer(bounds: readonly number[]): PriceBucketer {
  const labels = priceBucketLabels(bounds);
  const ordered = Float64Array.from(bounds);
  const indexOf = (price: number | null): number => {
    if (price === null || !Number.isFinite(price) || price < 0) return -1;
    if (price === 0) return 0;
    for (let index = 0; index < ordered.length; index += 1) if (price < (ordered[index] as number)) return index + 1;
    return ordered.length + 1;
  };
  return { indexOf, labelOf: (price) => labels[indexOf(price)] };
}

/** `priceBucketIndex` for fixed bounds, with the labels listed once (a reader calls it for every candidate). */
export function priceBucketIndexer(bounds: readonly number[]): (price: number | null) => number {
  return priceBucketer(bounds).indexOf;
}
