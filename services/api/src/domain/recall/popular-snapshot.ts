import type { ItemId, ItemInfo } from '@streamrec/streams-common';
import type { ScoredItem } from '../serving/ports.js';

/**
 * Lists that need no per-request Redis read: global popularity, the day's hot list, and popularity
 * within each tag, industry and price bucket (the affinity channels' candidate lists). Rebuilt every
 * few seconds, kept in memory and on disk: they are also what the API serves when Redis is gone.
 */
export interface PopularSnapshot {
  readonly builtAtMs: number;
  readonly popular: readonly ScoredItem[];
  readonly trending: readonly ScoredItem[];
  readonly byTag: Readonly<Record<string, readonly ScoredItem[]>>;
  readonly byIndustry: Readonly<Record<string, readonly ScoredItem[]>>;
  readonly byPriceBucket: Readonly<Record<string, readonly ScoredItem[]>>;
}

export const emptySnapshot: PopularSnapshot = Object.freeze({ builtAtMs: 0, popular: [], trending: [], byTag: {}, byIndustry: {}, byPriceBucket: {} });

export interface SnapshotInputs {
  readonly nowMs: number;
  /** Every item's popularity (any scale; only the order matters within a list). */
  readonly popularity: readonly ScoredItem[];
  readonly trending: readonly ScoredItem[];
  readonly catalogue: (item: ItemId) => ItemInfo | undefined;
  readonly priceBucketOf: (price: number | null) => string | undefined;
  /** Items kept per list. */
  readonly listLimit: number;
}

export function buildPopularSnapshot(inputs: SnapshotInputs): PopularSnapshot {
  const available = (item: ItemId): ItemInfo | undefined => {
    const info = inputs.catalogue(item);
    return info?.available === true ? info : undefined;
  };
  // Decayed sums can differ in the last bits between replays of the same events: 12 significant digits rank alike.
  const ranked = inputs.popularity.map(({ item, score }) => ({ item, score: significant(score) })).sort(byScoreThenNewerId);
  const popular: ScoredItem[] = [];
  const byTag = new Map<string, ScoredItem[]>();
  const byIndustry = new Map<string, ScoredItem[]>();
  const byPriceBucket = new Map<string, ScoredItem[]>();
  const add = (lists: Map<string, ScoredItem[]>, name: string, entry: ScoredItem): void => {
    const list = lists.get(name) ?? [];
    if (list.length < inputs.listLimit) list.push(entry);
    lists.set(name, list);
  };
  for (const entry of ranked) {
    const info = available(entry.item);
    if (info === undefined || !(entry.score > 0)) continue;
    if (popular.length < inputs.listLimit) popular.push(entry);
    for (const tag of new Set(info.tags)) if (tag !== '') add(byTag, tag, entry);
    if (info.industry !== null && info.industry !== '') add(byIndustry, info.industry, entry);
    const bucket = inputs.priceBucketOf(info.price);
    if (bucket !== undefined) add(byPriceBucket, bucket, entry);
  }
  const trending = inputs.trending
    .map(({ item, score }) => ({ item, score: significant(score) }))
    .sort(byScoreThenNewerId).filter((entry) => available(entry.item) !== undefined).slice(0, inputs.listLimit);
  return {
    builtAtMs: inputs.nowMs,
    popular,
    trending,
    byTag: Object.fromEntries(byTag),
    byIndustry: Object.fromEntries(byIndustry),
    byPriceBucket: Object.fromEntries(byPriceBucket),
  };
}

/** Popular lists: equal scores put the newer (higher id) dataset first. */
export function byScoreThenNewerId(a: ScoredItem, b: ScoredItem): number {
  if (b.score !== a.score) return b.score - a.score;
  if (a.item.length !== b.item.length) return b.item.length - a.item.length;
  return a.item < b.item ? 1 : a.item > b.item ? -1 : 0;
}

export function byScoreThenId(a: ScoredItem, b: ScoredItem): number {
  if (b.score !== a.score) return b.score - a.score;
  return a.item < b.item ? -1 : a.item > b.item ? 1 : 0;
}

function significant(score: number): number {
  return score === 0 || !Number.isFinite(score) ? score : Number(score.toPrecision(12));
}

export interface SnapshotRanks {
  popular(item: ItemId): number | undefined;
  trending(item: ItemId): number | undefined;
  industry(item: ItemId, industry: string): number | undefined;
}

const ranksBySnapshot = new WeakMap<PopularSnapshot, SnapshotRanks>();
const positions = (list: readonly ScoredItem[]): Map<ItemId, number> => new Map(list.map(({ item }, index) => [item, index]));

/**
 * Positions of items in the snapshot's lists (the item_*_rank features), built once per snapshot (every
 * few seconds, off the per-candidate path) and shared by every request that sees that snapshot: the same
 * object for the same snapshot, so what is computed from it can be kept while the snapshot lasts.
 */
export function snapshotRanks(snapshot: PopularSnapshot): SnapshotRanks {
  let ranks = ranksBySnapshot.get(snapshot);
  if (ranks === undefined) {
    const popular = positions(snapshot.popular);
    const trending = positions(snapshot.trending);
    const byIndustry = new Map(Object.entries(snapshot.byIndustry).map(([industry, list]) => [industry, positions(list)]));
    ranks = {
      popular: (item) => popular.get(item),
      trending: (item) => trending.get(item),
      industry: (item, industry) => byIndustry.get(industry)?.get(item),
    };
    ranksBySnapshot.set(snapshot, ranks);
  }
  return ranks;
}
