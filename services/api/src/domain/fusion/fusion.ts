import type { ItemId } from '@streamrec/streams-common';
import { CHANNELS, type Channel, type ChannelWeights } from '../recall/channels.js';
import type { ScoredItem } from '../serving/ports.js';
import { byScoreThenIdAt, topIndices } from '@streamrec/foundation';

/** One candidate after fusion: its fused score and each channel's normalised score (0..1). */
export interface FusedCandidate {
  readonly item: ItemId;
  readonly fused: number;
  /** Normalised score per channel, indexed as CHANNELS (0 = the channel did not produce it). */
  readonly channelScores: Float64Array;
  /** 0-based position in each channel's list, indexed as CHANNELS (−1 = not in it). Optional for hand-built candidates. */
  readonly channelRanks?: Float64Array;
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
  const channelCount = CHANNELS.length;
  const weightOf = CHANNELS.map((channel) => {
    const weight = weights[channel] ?? 0;
    return weight > 0 ? weight : 0;
  });
  // item → slot; slot × channel → normalised score in one array per request (no per-item allocation).
  let entries = 0;
  for (const channel of CHANNELS) entries += lists[channel]?.length ?? 0;
  const slots = new Map<ItemId, number>();
  const items: ItemId[] = [];
  const scores = new Float64Array(entries * channelCount);
  const ranks = new Float64Array(entries * channelCount).fill(-1);
  for (let index = 0; index < channelCount; index += 1) {
    const list = lists[CHANNELS[index] as Channel];
    if (list === undefined || list.length === 0 || weightOf[index] === 0) continue;
    let best = 0;
    for (let position = 0; position < list.length; position += 1) {
      const { score } = list[position] as ScoredItem;
      if (score > best) best = score;
    }
    if (!(best > 0)) continue;
    for (let position = 0; position < list.length; position += 1) {
      const { item, score } = list[position] as ScoredItem;
      if (!(score > 0)) continue;
      let slot = slots.get(item);
      if (slot === undefined) {
        slot = items.length;
        slots.set(item, slot);
        items.push(item);
      }
      const at = slot * channelCount + index;
      const normalised = quantised(score / best);
      if (normalised > (scores[at] as number)) scores[at] = normalised;
      if ((ranks[at] as number) < 0) ranks[at] = position;
    }
  }
  const fusedBySlot = new Float64Array(items.length);
  for (let slot = 0; slot < items.length; slot += 1) {
    let fused = 0;
    for (let index = 0; index < channelCount; index += 1) fused += (weightOf[index] ?? 0) * (scores[slot * channelCount + index] ?? 0);
    fusedBySlot[slot] = fused;
  }
  const order = topIndices(fusedBySlot, items.length, limit, byScoreThenIdAt(fusedBySlot, items));
  // The kept candidates' rows, copied into two arrays of their own (not the whole request's): each
  // candidate views its row. One small typed array per candidate would be a separate allocation each.
  const rowScores = new Float64Array(order.length * channelCount);
  const rowRanks = new Float64Array(order.length * channelCount);
  return order.map((slot, row) => {
    const from = slot * channelCount;
    const at = row * channelCount;
    for (let index = 0; index < channelCount; index += 1) {
      rowScores[at + index] = scores[from + index] as number;
      rowRanks[at + index] = ranks[from + index] as number;
    }
    return {
      item: items[slot] as ItemId,
      fused: fusedBySlot[slot] ?? 0,
      channelScores: rowScores.subarray(at, at + channelCount),
      channelRanks: rowRanks.subarray(at, at + channelCount),
      channels: strongestFirst(rowScores, at, weightOf),
    };
  });
}

/** Insertion scratch of `strongestFirst` (one row at a time; fusion is synchronous). */
const strengths = new Float64Array(CHANNELS.length);
const order = new Int32Array(CHANNELS.length);

/** The channels with a score in the row at `at`, by weighted contribution, strongest first (ties keep CHANNELS order). */
function strongestFirst(rowScores: Float64Array, at: number, weightOf: readonly number[]): Channel[] {
  let count = 0;
  for (let index = 0; index < CHANNELS.length; index += 1) {
    const score = rowScores[at + index] ?? 0;
    if (!(score > 0)) continue;
    const strength = (weightOf[index] ?? 0) * score;
    let position = count;
    while (position > 0 && (strengths[position - 1] as number) < strength) {
      strengths[position] = strengths[position - 1] as number;
      order[position] = order[position - 1] as number;
      position -= 1;
    }
    strengths[position] = strength;
    order[position] = index;
    count += 1;
  }
  const channels = new Array<Channel>(count);
  for (let position = 0; position < count; position += 1) channels[position] = CHANNELS[order[position] as number] as Channel;
  return channels;
}

/** A candidate's normalised score from one channel (0 when the channel did not produce it). */
export function channelScore(candidate: Pick<FusedCandidate, 'channelScores'>, channel: Channel): number {
  return candidate.channelScores[CHANNEL_INDEX[channel]] ?? 0;
}

/** A candidate's 0-based position in one channel's list (−1 when the channel did not produce it). */
export function channelRank(candidate: Pick<FusedCandidate, 'channelRanks'>, channel: Channel): number {
  return candidate.channelRanks?.[CHANNEL_INDEX[channel]] ?? -1;
}

const CHANNEL_INDEX = Object.fromEntries(CHANNELS.map((channel, index) => [channel, index])) as Record<Channel, number>;

/** Channel scores as a CHANNELS-indexed row (tests and callers that build candidates by hand). */
export function channelScoreRow(scores: Readonly<Partial<Record<Channel, number>>>): Float64Array {
  return Float64Array.from(CHANNELS, (channel) => scores[channel] ?? 0);
}

/**
 * Scores are sums of forward-decayed floats that another replay of the same events adds in another
 * order, so they can differ in the last bits; kept to 12 decimals, equal inputs rank the same every time.
 */
function quantised(normalised: number): number {
  return Math.round(normalised * 1e12) / 1e12;
}
