import { describe, expect, it } from 'vitest';
import { itemIdOf } from '@streamrec/streams-common';
import { aggregatePairIncrements, compareItemIds, pairIncrementsOf, utcDay } from './pair-increments.js';

const id = itemIdOf;
const DAY = 86_400_000;

describe('daily pair increments', () => {
  it('orders each pair numerically, smaller id first, on the UTC day of the event', () => {
    const day = Date.UTC(2026, 10, 25);
    expect(pairIncrementsOf(id(10), [id(9), id(100)], day + DAY - 1, 4)).toEqual([
      { day: day / DAY, item: '9', other: '10', pairCount: 1, weight: 4 },
      { day: day / DAY, item: '10', other: '100', pairCount: 1, weight: 4 },
    ]);
    expect(utcDay(day + DAY)).toBe(day / DAY + 1);
    expect(compareItemIds(id(9), id(10))).toBeLessThan(0);
    expect(compareItemIds(id(123), id(122))).toBeGreaterThan(0);
  });

  it('sums a batch per day and pair in a fixed order', () => {
    const increments = [
      ...pairIncrementsOf(id(2), [id(1)], 5 * DAY + 1, 1),
      ...pairIncrementsOf(id(1), [id(2), id(3)], 5 * DAY + 2, 10),
      ...pairIncrementsOf(id(2), [id(1)], 4 * DAY, 2),
    ];
    expect(aggregatePairIncrements(increments)).toEqual([
      { day: 4, item: '1', other: '2', pairCount: 1, weight: 2 },
      { day: 5, item: '1', other: '2', pairCount: 2, weight: 11 },
      { day: 5, item: '1', other: '3', pairCount: 1, weight: 10 },
    ]);
    expect(aggregatePairIncrements([])).toEqual([]);
  });
});
