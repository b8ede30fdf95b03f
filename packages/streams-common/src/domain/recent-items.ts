import { AppError, ErrorCode, OpKind, type StateOp } from '@streamrec/foundation';
import { itemIdOf, type ItemId } from './ids.js';

/**
 * A user's recent items: a zset member = item, score = newest event time seen for it, kept to the
 * `maxItems` newest by `ZADD GT` + `ZKeepTop`. Features keeps one (what the API shows as "recent"),
 * cooccurrence keeps its own (its window; each processor owns the state its offsets describe).
 * `nextRecentItems` is the same list computed in memory: a stage that must know the list before each
 * record folds it through its batch with this function, and a unit test keeps it equal to the ops.
 */
export interface RecentItem {
  readonly item: ItemId;
  readonly eventTime: number;
}

export interface RecentItemsParams {
  readonly maxItems: number;
}

/** Redis order of ZREVRANGE: score descending, then member descending (byte order; ids are ASCII). */
export function compareRecentItems(a: RecentItem, b: RecentItem): number {
  if (a.eventTime !== b.eventTime) return b.eventTime - a.eventTime;
  return a.item < b.item ? 1 : a.item > b.item ? -1 : 0;
}

/** The list after one interaction: unique, newest first, at most `maxItems` long. */
export function nextRecentItems(previous: readonly RecentItem[], interaction: RecentItem, params: RecentItemsParams): RecentItem[] {
  const earlier = previous.find((entry) => entry.item === interaction.item);
  const eventTime = earlier === undefined ? interaction.eventTime : Math.max(earlier.eventTime, interaction.eventTime);
  return [...previous.filter((entry) => entry.item !== interaction.item), { item: interaction.item, eventTime }]
    .sort(compareRecentItems)
    .slice(0, params.maxItems);
}

/** The ops that make the stored list follow `nextRecentItems`. */
export function recentItemsOps(key: string, interaction: RecentItem, params: RecentItemsParams): StateOp[] {
  return [
    { kind: OpKind.ZAddMax, key, member: interaction.item, score: interaction.eventTime },
    { kind: OpKind.ZKeepTop, key, count: params.maxItems },
  ];
}

/** Parses `ZREVRANGE key 0 -1 WITHSCORES` (member, score, member, score, ...) into fold order. */
export function parseRecentItems(flat: readonly string[]): RecentItem[] {
  if (flat.length % 2 !== 0) throw new AppError(ErrorCode.InvalidArgument, 'WITHSCORES reply must have an even length');
  const items: RecentItem[] = [];
  for (let index = 0; index < flat.length; index += 2) {
    const eventTime = Number(flat[index + 1]);
    if (!Number.isFinite(eventTime)) throw new AppError(ErrorCode.InvalidArgument, `bad score ${flat[index + 1]} in a recent-items reply`);
    items.push({ item: itemIdOf(flat[index] ?? ''), eventTime });
  }
  return items.sort(compareRecentItems);
}
