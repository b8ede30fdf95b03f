import { historyOf, targetOf, type UserSequence } from './dataset.js';
import { MAX_CUTOFF, type TargetRank } from './metrics.js';

/**
 * Popularity rankings computed from the dataset alone (the harness's checks). Pure.
 * - `leaky`: counts over every interaction, test items included, as the published PopRec does;
 * - `leak-free`: counts over s[:-1] of every user, exactly what the live system is replayed.
 */
export const PopularityCount = { Leaky: 'leaky', LeakFree: 'leak-free' } as const;
export type PopularityCount = (typeof PopularityCount)[keyof typeof PopularityCount];

/**
 * How equal counts are ordered:
 * - `higher-id-first`: the published rows' rule (README);
 * - `id-text-ascending`: the live API's fusion order for equal fused scores (item ids compared as text).
 */
export const TieRule = { HigherIdFirst: 'higher-id-first', IdTextAscending: 'id-text-ascending' } as const;
export type TieRule = (typeof TieRule)[keyof typeof TieRule];

export function popularityCounts(users: readonly UserSequence[], count: PopularityCount): Map<number, number> {
  const counts = new Map<number, number>();
  for (const sequence of users) {
    const items = count === PopularityCount.Leaky ? sequence.items : historyOf(sequence);
    for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}

/**
 * Items by count, ties by `tie`. `allItems` adds never-counted items at the end (the published
 * full ranking ranks every item); without it only counted items are ranked, as the live popular list.
 */
export function popularityOrder(counts: ReadonlyMap<number, number>, tie: TieRule, allItems: readonly number[] = []): number[] {
  const items = new Set<number>(counts.keys());
  for (const item of allItems) items.add(item);
  const countOf = (item: number): number => counts.get(item) ?? 0;
  return [...items].sort((a, b) => {
    const difference = countOf(b) - countOf(a);
    if (difference !== 0) return difference;
    if (tie === TieRule.HigherIdFirst) return b - a;
    const textA = String(a);
    const textB = String(b);
    return textA < textB ? -1 : textA > textB ? 1 : 0;
  });
}

/** Rank of the user's target in a global order with the user's history s[:-1] left out. */
export function rankExcludingHistory(order: readonly number[], sequence: UserSequence): TargetRank {
  const history = new Set(historyOf(sequence));
  const target = targetOf(sequence);
  let position = 0;
  for (const item of order) {
    if (history.has(item)) continue;
    if (item === target) return position;
    position += 1;
    if (position >= MAX_CUTOFF) return null;
  }
  return null;
}

/** The top `limit` of a global order for one user, history left out (what a popularity-only API serves). */
export function topExcludingHistory(order: readonly number[], sequence: UserSequence, limit: number): number[] {
  const history = new Set(historyOf(sequence));
  const result: number[] = [];
  for (const item of order) {
    if (result.length >= limit) break;
    if (!history.has(item)) result.push(item);
  }
  return result;
}
