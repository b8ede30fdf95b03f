import type { ItemId } from '@streamrec/streams-common';

const DAY_MS = 86_400_000;

/**
 * What the user stage adds to the analysts' daily pair counts (ClickHouse `cooccurrence`, fed from
 * `events.cooccurrence.v1`): one unordered pair per partner an interaction pairs with, on the UTC day of
 * the interaction. The pairs are exactly those of the co-item records the stage produces (same partners,
 * same duplicate and stitched-copy rules); the weight is the action's weight *without* forward decay, so
 * a day's sum means the same whenever it is read (Redis keeps the decayed scores for recall).
 * Unordered (`item < other`, numerically): both directions of a pair get the same increment, and the
 * ClickHouse view writes both.
 */
export interface PairIncrement {
  /** Days since 1970-01-01 (UTC) of the interaction's event time. */
  readonly day: number;
  /** The smaller item id of the pair. */
  readonly item: ItemId;
  /** The larger one. */
  readonly other: ItemId;
  readonly pairCount: number;
  readonly weight: number;
}

export function utcDay(eventTimeMs: number): number {
  return Math.floor(eventTimeMs / DAY_MS);
}

/** Numeric order of canonical decimal ids (no leading zeros): shorter is smaller, then text order. */
export function compareItemIds(a: ItemId, b: ItemId): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One increment of count 1 per partner of `item`. */
export function pairIncrementsOf(item: ItemId, partners: readonly ItemId[], eventTimeMs: number, weight: number): PairIncrement[] {
  const day = utcDay(eventTimeMs);
  return partners.map((partner) => (compareItemIds(item, partner) < 0 ? { day, item, other: partner, pairCount: 1, weight } : { day, item: partner, other: item, pairCount: 1, weight }));
}

/**
 * A batch's increments summed per (day, item, other), in (day, item, other) order. Weights are added in
 * input (offset) order, so the same records always give the same sums, whatever the batch split of
 * earlier records.
 */
export function aggregatePairIncrements(increments: Iterable<PairIncrement>): PairIncrement[] {
  const sums = new Map<string, { day: number; item: ItemId; other: ItemId; pairCount: number; weight: number }>();
  for (const increment of increments) {
    const key = `${increment.day}|${increment.item}|${increment.other}`;
    const sum = sums.get(key);
    if (sum === undefined) sums.set(key, { ...increment });
    else {
      sum.pairCount += increment.pairCount;
      sum.weight += increment.weight;
    }
  }
  return [...sums.values()].sort((a, b) => a.day - b.day || compareItemIds(a.item, b.item) || compareItemIds(a.other, b.other));
}
