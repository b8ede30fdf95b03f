import { describe, expect, it } from 'vitest';
import { parseSequences } from './dataset.js';
import { PopularityCount, TieRule, popularityCounts, popularityOrder, rankExcludingHistory, topExcludingHistory } from './popularity.js';
import { seededSample, seededShuffle } from './rng.js';

const users = parseSequences('1 10 20 9\n2 20 9 100\n3 9 20 10\n');

describe('popularity rankings', () => {
  it('counts with or without the test items', () => {
    expect(popularityCounts(users, PopularityCount.Leaky)).toEqual(new Map([[10, 2], [20, 3], [9, 3], [100, 1]]));
    expect(popularityCounts(users, PopularityCount.LeakFree)).toEqual(new Map([[10, 1], [20, 3], [9, 2]]));
  });

  it('breaks ties by higher id first, or by id text as the API does', () => {
    const counts = new Map([[9, 2], [10, 2], [100, 2], [5, 3]]);
    expect(popularityOrder(counts, TieRule.HigherIdFirst)).toEqual([5, 100, 10, 9]);
    expect(popularityOrder(counts, TieRule.IdTextAscending)).toEqual([5, 10, 100, 9]);
    expect(popularityOrder(new Map([[3, 1]]), TieRule.HigherIdFirst, [1, 2, 3])).toEqual([3, 2, 1]);
  });

  it("ranks the target with the user's history left out", () => {
    const order = [20, 9, 10, 100];
    expect(rankExcludingHistory(order, users[1]!)).toBe(1);
    expect(topExcludingHistory(order, users[0]!, 2)).toEqual([9, 100]);
  });
});

describe('seeded randomness', () => {
  it('is repeatable and a permutation', () => {
    const values = Array.from({ length: 100 }, (_, index) => index);
    expect(seededShuffle(values, 3)).toEqual(seededShuffle(values, 3));
    expect([...seededShuffle(values, 3)].sort((a, b) => a - b)).toEqual(values);
    const sample = seededSample(values, 10, 3);
    expect(sample).toHaveLength(10);
    expect([...sample].sort((a, b) => a - b)).toEqual(sample);
    expect(seededSample(values, 1000, 3)).toEqual(values);
  });
});
