import type { ItemId, ItemInfo } from '@streamrec/streams-common';
import type { DecayParams } from '@streamrec/features';
import { RANKING_FEATURES, type RankingFeature } from '@streamrec/ranking';
import type { UserProfile } from '../serving/user-profile.js';
import type { ItemStatsLookup } from './item-stats.js';

/** Column of every feature in RANKING_FEATURES (the feature contract's order). */
export const FEATURE: Readonly<Record<RankingFeature, number>> = Object.freeze(Object.fromEntries(RANKING_FEATURES.map((name, index) => [name, index])) as Record<RankingFeature, number>);
export const FEATURE_COUNT = RANKING_FEATURES.length;

export type FeatureWriter = (name: RankingFeature, value: number) => void;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Hours-since features saturate here (an item idle for a year is as idle as one idle for ten). */
export const MAX_HOURS = 24 * 365;
export const MAX_DAYS = 3_650;

export function clampedHours(timeMs: number | null, nowMs: number): number {
  if (timeMs === null) return MAX_HOURS;
  return Math.min(MAX_HOURS, Math.max(0, (nowMs - timeMs) / HOUR_MS));
}

/** Days since `timeMs`, capped; 0 when unknown (a missing date is not an old one). */
export function clampedDays(timeMs: number | null, nowMs: number): number {
  if (timeMs === null || !(timeMs > 0)) return 0;
  return Math.min(MAX_DAYS, Math.max(0, (nowMs - timeMs) / DAY_MS));
}

export const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

/** 1/(1+rank) for a 0-based rank; 0 when absent (rank < 0). */
export const rankScore = (rank: number): number => (rank < 0 ? 0 : 1 / (1 + rank));

/** How the user's recent items recalled a candidate through co-occurrence or transitions. */
export interface SeedRecall {
  /** Recent items (seeds) whose neighbour lists hold it. */
  readonly seeds: number;
  /** Position (0 = newest) of the newest seed that recalled it. */
  readonly bestPosition: number;
}

/** Positions in the shared lists (popular snapshot), 0-based; undefined = absent. */
export interface ListRanks {
  popular(item: ItemId): number | undefined;
  trending(item: ItemId): number | undefined;
  /** Rank within the popular list of the item's own industry. */
  industry(item: ItemId, industry: string): number | undefined;
}

export const noListRanks: ListRanks = { popular: () => undefined, trending: () => undefined, industry: () => undefined };

export interface RankingContext {
  readonly profile: UserProfile;
  readonly nowMs: number;
  readonly scene: string;
  readonly catalogue: (item: ItemId) => ItemInfo | undefined;
  readonly itemStats: ItemStatsLookup;
  readonly decay: DecayParams;
  readonly priceBucketOf: (price: number | null) => string | undefined;
  /** Index of the price's bucket (free = 0, then by bound); −1 when unknown. */
  readonly priceBucketIndexOf: (price: number | null) => number;
  readonly listRanks: ListRanks;
  /** Items of an industry in the catalogue. */
  readonly industrySize: (industry: string) => number;
  readonly seedRecall: ReadonlyMap<ItemId, SeedRecall>;
}

/** Scene codes of `context_scene` (the names experiments.yaml uses); anything else is `other`. */
export const SCENE_CODES: Readonly<Record<string, number>> = Object.freeze({ home: 0, item_detail: 1, cart: 2, search: 3, email: 4 });
export const OTHER_SCENE = 5;
