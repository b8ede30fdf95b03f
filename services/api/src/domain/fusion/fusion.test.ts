import { describe, expect, it } from 'vitest';
import type { ItemId } from '@streamrec/streams-common';
import { seededRandom } from '@streamrec/foundation';
import { CHANNELS, Channel, type ChannelWeights } from '../recall/channels.js';
import { channelScoreRow, fuseChannels, type ChannelLists } from './fusion.js';

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

  it('gives what a plain full sort of every candidate gives, on random lists with ties, duplicates and zero weights', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 60; round += 1) {
      const lists: Partial<Record<Channel, { item: ItemId; score: number }[]>> = {};
      const weights: Partial<Record<Channel, number>> = {};
      for (const channel of CHANNELS) {
        const length = Math.floor(random() * 120);
        lists[channel] = Array.from({ length }, () => ({ item: `i${Math.floor(random() * 300)}` as ItemId, score: Math.floor(random() * 8) / 2 }));
        weights[channel] = random() < 0.2 ? 0 : Math.floor(random() * 4) / 2;
      }
      const limit = Math.floor(random() * 250);
      const fused = fuseChannels(lists, weights, limit);
      const expected = referenceFusion(lists, weights, limit);
      expect(fused.map(({ item, fused: score, channels }) => ({ item, score, channels })), `round ${round}`).toEqual(expected.map(({ item, fused: score, channels }) => ({ item, score, channels })));
      fused.forEach((candidate, index) => {
        expect(Array.from(candidate.channelScores)).toEqual(expected[index]?.channelScores);
        expect(Array.from(candidate.channelRanks ?? [])).toEqual(expected[index]?.channelRanks);
      });
    }
  });
});

/** Fusion as first written: a Map per item, every candidate sorted, one copied row per candidate. */
function referenceFusion(lists: ChannelLists, weights: ChannelWeights, limit: number): { item: ItemId; fused: number; channelScores: number[]; channelRanks: number[]; channels: Channel[] }[] {
  const byItem = new Map<ItemId, { scores: number[]; ranks: number[] }>();
  CHANNELS.forEach((channel, index) => {
    const list = lists[channel] ?? [];
    const weight = Math.max(0, weights[channel] ?? 0);
    const best = Math.max(0, ...list.map(({ score }) => score));
    if (weight === 0 || !(best > 0)) return;
    list.forEach(({ item, score }, position) => {
      if (!(score > 0)) return;
      const entry = byItem.get(item) ?? { scores: CHANNELS.map(() => 0), ranks: CHANNELS.map(() => -1) };
      byItem.set(item, entry);
      const normalised = Math.round((score / best) * 1e12) / 1e12;
      if (normalised > (entry.scores[index] ?? 0)) entry.scores[index] = normalised;
      if ((entry.ranks[index] ?? -1) < 0) entry.ranks[index] = position;
    });
  });
  const weightOf = CHANNELS.map((channel) => Math.max(0, weights[channel] ?? 0));
  return [...byItem]
    .map(([item, { scores, ranks }]) => ({
      item,
      fused: scores.reduce((sum, score, index) => sum + (weightOf[index] ?? 0) * score, 0),
      channelScores: scores,
      channelRanks: ranks,
      channels: CHANNELS.map((channel, index) => [channel, (weightOf[index] ?? 0) * (scores[index] ?? 0)] as const)
        .filter((_, index) => (scores[index] ?? 0) > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([channel]) => channel),
    }))
    .sort((a, b) => (b.fused !== a.fused ? b.fused - a.fused : a.item < b.item ? -1 : a.item > b.item ? 1 : 0))
    .slice(0, limit);
}
