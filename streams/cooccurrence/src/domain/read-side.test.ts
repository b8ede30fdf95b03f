import { describe, expect, it } from 'vitest';
import { itemIdOf, userIdOf, type ItemId } from '@streamrec/streams-common';
import { itemToItemCandidates, similarUsers } from './read-side.js';

const id = (value: number): ItemId => itemIdOf(value);

describe('cooccurrence read side', () => {
  it('sums seed-normalised neighbour scores and drops seeds, excluded and unavailable items', () => {
    const replies = new Map([
      [id(1), ['2', '8', '4', '6', '3', '4', '9', '2']],
      [id(5), ['3', '10', '1', '5']],
    ]);
    const candidates = itemToItemCandidates([{ item: id(1), weight: 1 }, { item: id(5), weight: 0.5 }], replies, { exclude: new Set([id(4)]), isAvailable: (item) => item !== '9', limit: 10 });
    // seed 1 (best 8): 2 → 1, 4 excluded, 3 → 0.5, 9 unavailable; seed 5 (best 10, weight ½): 3 → 0.5, 1 is a seed.
    expect(candidates).toEqual([
      { item: '2', score: 1 },
      { item: '3', score: 1 },
    ]);
  });

  it('finds users who share recent items, niche items counting more than popular ones', () => {
    const recent = new Map([
      [id(1), ['me', 'ann', 'bob', 'cy', 'dan', 'eve', 'fay']],
      [id(2), ['me', 'zoe']],
    ]);
    const similar = similarUsers(userIdOf('me'), recent, 3);
    expect(similar[0]?.user).toBe('zoe');
    expect(similar.map((entry) => entry.user)).not.toContain('me');
    expect(similar).toHaveLength(3);
  });
});
