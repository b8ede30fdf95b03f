import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';
import { topIndices } from './top-k.js';

/** The reference: every index sorted by `compare`, then the head. */
function fullSortHead(count: number, limit: number, compare: (a: number, b: number) => number): number[] {
  return Array.from({ length: count }, (_, index) => index).sort(compare).slice(0, Math.max(0, limit));
}

describe('topIndices', () => {
  it('equals a full sort and slice, ties broken by id, on many random lists with heavy ties', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 300; round += 1) {
      const count = Math.floor(random() * 400);
      const distinct = 1 + Math.floor(random() * 30);
      const scores = Float64Array.from({ length: count }, () => Math.floor(random() * distinct) / distinct);
      const ids = Array.from({ length: count }, () => `i${Math.floor(random() * 1_000_000)}`);
      const compare = (a: number, b: number): number => {
        const difference = (scores[b] ?? 0) - (scores[a] ?? 0);
        if (difference !== 0) return difference;
        const idA = ids[a] ?? '';
        const idB = ids[b] ?? '';
        return idA < idB ? -1 : idA > idB ? 1 : a - b;
      };
      const limit = Math.floor(random() * (count + 20)) - 5;
      expect(topIndices(scores, count, limit, compare), `round ${round}: ${count} entries, limit ${limit}`).toEqual(fullSortHead(count, limit, compare));
    }
  });

  it('returns nothing for a limit of 0 or no entries, and everything sorted when the limit exceeds the count', () => {
    const scores = [0.5, 0.9, 0.1];
    const compare = (a: number, b: number): number => (scores[b] ?? 0) - (scores[a] ?? 0);
    expect(topIndices(scores, 3, 0, compare)).toEqual([]);
    expect(topIndices(scores, 0, 5, compare)).toEqual([]);
    expect(topIndices(scores, 3, 10, compare)).toEqual([1, 0, 2]);
    expect(topIndices(scores, 3, 2, compare)).toEqual([1, 0]);
  });
});
