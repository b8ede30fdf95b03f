import type { ItemId } from '@streamrec/streams-common';

/** An item's features as the features processor keeps them (raw; decayed at request time). */
export interface ItemStats {
  /** Forward-decayed popularity, raw (decay with the features params at request time). */
  readonly popularityRaw: number;
  /** action → count */
  readonly counts: Readonly<Record<string, number>>;
  readonly distinctUsers: number;
  readonly ctrClicks: number;
  readonly ctrExposures: number;
  readonly lastEventMs: number | null;
  /** The features processor's `stats` hash: decayed counts (with their `@t`) and the first event time. */
  readonly stats: Readonly<Record<string, number>>;
}

export const unknownItemStats: ItemStats = Object.freeze({ popularityRaw: 0, counts: {}, distinctUsers: 0, ctrClicks: 0, ctrExposures: 0, lastEventMs: null, stats: {} });

export type ItemStatsLookup = (item: ItemId) => ItemStats;
