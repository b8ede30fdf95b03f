import type { Rng } from './rng.js';

/**
 * Draws items with probability proportional to their weight in O(log n): cumulative sums and a
 * binary search. Built once per catalogue change, drawn from thousands of times per run.
 */
export class WeightedTable<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(items: readonly T[], weightOf: (item: T) => number) {
    this.items = items;
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach((item, i) => {
      total += Math.max(0, weightOf(item));
      this.cumulative[i] = total;
    });
  }

  get size(): number {
    return this.items.length;
  }

  get totalWeight(): number {
    return this.items.length === 0 ? 0 : (this.cumulative[this.items.length - 1] ?? 0);
  }

  draw(rng: Rng): T | undefined {
    const total = this.totalWeight;
    if (total <= 0) return undefined;
    const target = rng.next() * total;
    let low = 0;
    let high = this.items.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.cumulative[mid] ?? 0) > target) high = mid;
      else low = mid + 1;
    }
    return this.items[low];
  }
}
