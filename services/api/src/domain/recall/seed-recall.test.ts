import { describe, expect, it } from 'vitest';
import { item } from '../test-fixtures.js';
import { seedRecallOf } from './seed-recall.js';

describe('seed recall', () => {
  it('counts the seeds whose neighbour lists hold an item and keeps the newest seed position', () => {
    const seeds = [
      { item: item(1), weight: 1 },
      { item: item(2), weight: 0.5 },
    ];
    const neighbours = {
      cooccurrence: new Map([
        [item(1), ['10', '3', '11', '2']],
        [item(2), ['10', '5', '12', '1', '1', '9']],
      ]),
      transition: new Map([[item(2), ['11', '4', '10', '2']]]),
      recentUsers: new Map(),
    };
    const recall = seedRecallOf(seeds, neighbours);
    expect(recall.get(item(10))).toEqual({ seeds: 2, bestPosition: 0 }); // in both seeds' lists (and twice for seed 2: once)
    expect(recall.get(item(11))).toEqual({ seeds: 2, bestPosition: 0 });
    expect(recall.get(item(12))).toEqual({ seeds: 1, bestPosition: 1 });
    expect(recall.get(item(1))).toEqual({ seeds: 1, bestPosition: 1 }); // seed 1 recalled by seed 2, never by itself
    expect(recall.has(item(2))).toBe(false);
    expect(seedRecallOf(seeds, undefined).size).toBe(0);
  });
});
