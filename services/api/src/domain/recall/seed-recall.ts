import { itemIdOf, type ItemId } from '@streamrec/streams-common';
import type { SeedRecall } from '../ranking/feature-support.js';
import type { WeightedSeed } from '../serving/ports.js';
import type { NeighbourReplies } from './recall.js';

/**
 * For each item the seeds' co-occurrence and transition lists hold: how many seeds recalled it and the
 * position of the newest one (seeds come newest first). One pass over the replies already read.
 */
export function seedRecallOf(seeds: readonly WeightedSeed[], neighbours: NeighbourReplies | undefined): Map<ItemId, SeedRecall> {
  const recall = new Map<ItemId, { seeds: number; bestPosition: number }>();
  if (neighbours === undefined) return recall;
  seeds.forEach(({ item: seed }, position) => {
    const seen = new Set<string>();
    for (const replies of [neighbours.cooccurrence.get(seed), neighbours.transition.get(seed)]) {
      if (replies === undefined) continue;
      // WITHSCORES replies: member, score, member, score…
      for (let index = 0; index < replies.length; index += 2) {
        const member = replies[index];
        if (member === undefined || member === seed || seen.has(member)) continue;
        seen.add(member);
        const item = itemIdOf(member);
        const entry = recall.get(item);
        if (entry === undefined) recall.set(item, { seeds: 1, bestPosition: position });
        else entry.seeds += 1;
      }
    }
  });
  return recall;
}
