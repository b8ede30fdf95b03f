import type { ItemId } from '@streamrec/streams-common';
import { CHANNELS, type Channel, type ChannelWeights } from './channels.js';
import type { ScoredItem } from './ports.js';

/** One candidate after fusion: its fused score and each channel's normalised score (0..1). */
export interface FusedCandidate {
  readonly item: ItemId;
  readonly fused: number;
  readonly channelScores: Readonly<Partial<Record<Channel, number>>>;
  /** Channels that produced it, strongest contribution first. */
  readonly channels: readonly Channel[];
}

export type ChannelLists = Readonly<Partial<Record<Channel, readonly ScoredItem[]>>>;

/**
 * Weighted fusion: each channel's scores are scaled so its best candidate scores 1 (channels score on
 * unrelated scales: decayed counts, cosine similarity, popularity), then summed with the variant's
 * weights. A channel with weight 0 contributes nothing and does not mark its items.
 */
export function fuseChannels(lists: ChannelLists, weights: ChannelWeights, limit: number): FusedCandidate[] {
  const merged = new Map<ItemId, { fused: number; scores: Partial<Record<Channel, number>>; contributions: [Channel, number][] }>();
  for (const channel of CHANNELS) {
    const list = lists[channel];
    const weight = weights[channel] ?? 0;
    if (list === undefined || list.length === 0 || !(weight > 0)) continue;
    let best = 0;
    for (const { score } of list) if (score > best) best = score;
    if (!(best > 0)) continue;
    for (const { item, score } of list) {
      if (!(score > 0)) continue;
      const normalised = score / best;
      const entry = merged.get(item) ?? { fused: 0, scores: {}, contributions: [] };
      if ((entry.scores[channel] ?? 0) >= normalised) continue;
      const previous = entry.scores[channel] ?? 0;
      entry.scores[channel] = normalised;
      entry.fused += weight * (normalised - previous);
      entry.contributions = entry.contributions.filter(([name]) => name !== channel);
      entry.contributions.push([channel, weight * normalised]);
      merged.set(item, entry);
    }
  }
  const candidates: FusedCandidate[] = [];
  for (const [item, entry] of merged) {
    const channels = entry.contributions.sort((a, b) => b[1] - a[1]).map(([channel]) => channel);
    candidates.push({ item, fused: entry.fused, channelScores: entry.scores, channels });
  }
  return candidates.sort(byFusedThenId).slice(0, Math.max(0, limit));
}

function byFusedThenId(a: FusedCandidate, b: FusedCandidate): number {
  if (b.fused !== a.fused) return b.fused - a.fused;
  return a.item < b.item ? -1 : a.item > b.item ? 1 : 0;
}
