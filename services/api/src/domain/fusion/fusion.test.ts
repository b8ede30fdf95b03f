import { describe, expect, it } from 'vitest';
import type { ItemId } from '@streamrec/streams-common';
import { Channel } from '../recall/channels.js';
import { channelScoreRow, fuseChannels } from './fusion.js';

const scored = (entries: [string, number][]) => entries.map(([item, score]) => ({ item: item as ItemId, score }));

describe('weighted fusion', () => {
  it('scales each channel so its best item scores 1, then sums with the weights', () => {
    const fused = fuseChannels(
      { [Channel.Cooccurrence]: scored([['a', 40], ['b', 20]]), [Channel.Content]: scored([['b', 0.9], ['c', 0.45]]) },
      { [Channel.Cooccurrence]: 1, [Channel.Content]: 0.5 },
      10,
    );
    // a: 40/40 × 1; b: 20/40 × 1 + 0.9/0.9 × 0.5 (a tie with a, broken by id); c: 0.45/0.9 × 0.5
    expect(fused.map(({ item, fused: score }) => [item, score])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 0.25],
    ]);
    expect(fused.find(({ item }) => item === 'b')?.channelScores).toEqual(channelScoreRow({ [Channel.Cooccurrence]: 0.5, [Channel.Content]: 1 }));
  });

  it('lists an item’s channels strongest contribution first', () => {
    const [first] = fuseChannels({ [Channel.Tag]: scored([['a', 1]]), [Channel.Transition]: scored([['a', 1]]) }, { [Channel.Tag]: 0.2, [Channel.Transition]: 2 }, 5);
    expect(first?.channels).toEqual([Channel.Transition, Channel.Tag]);
  });

  it('ignores a channel weighted 0 and keeps only the limit, ties broken by id', () => {
    const fused = fuseChannels({ [Channel.Popular]: scored([['z', 5]]), [Channel.Trending]: scored([['b', 1], ['a', 1], ['c', 1]]) }, { [Channel.Trending]: 1 }, 2);
    expect(fused.map(({ item }) => item)).toEqual(['a', 'b']);
  });

  it('counts a duplicate within one channel once, at its best score', () => {
    const [only] = fuseChannels({ [Channel.Content]: scored([['a', 1], ['a', 0.2]]) }, { [Channel.Content]: 1 }, 5);
    expect(only?.fused).toBe(1);
  });
});
