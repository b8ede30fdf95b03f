import { describe, expect, it } from 'vitest';
import type { ItemInfo } from '@streamrec/streams-common';
import { defaultFeaturesParams } from '@streamrec/features';
import { RANKING_FEATURES } from '@streamrec/ranking';
import { FEATURE_COUNT, noListRanks, type ListRanks, type RankingContext } from './feature-support.js';
import { fillItemFeatures } from './item-features.js';
import type { ItemStats } from './item-stats.js';
import { NOW, item, profileOf } from '../test-fixtures.js';

const HOUR = 3_600_000;
const info: ItemInfo = { industry: 'finance', tags: ['rates'], price: 199, available: true, attributes: { createdAtMs: NOW - 400 * 24 * HOUR, updatedAtMs: NOW - 3 * 24 * HOUR, titleLength: 31, descriptionLength: 900, cjkShare: 0 } };
const stats = (): ItemStats => ({
  popularityRaw: 12,
  counts: { view: 9, click: 3, purchase: 1 },
  distinctUsers: 7,
  ctrClicks: 2,
  ctrExposures: 100,
  lastEventMs: NOW - 2 * HOUR,
  stats: { events_1h: 3, 'events_1h@t': NOW - HOUR, events_24h: 5, 'events_24h@t': NOW - HOUR, view_7d: 4, 'view_7d@t': NOW - 5 * HOUR, first_event_ms: NOW - 30 * 24 * HOUR },
});
/** One function for every context, as in the API (a new one would recompute the columns). */
const bucketIndex = (): number => 2;
const ranksAt = (position: number): ListRanks => ({ popular: () => position, trending: () => undefined, industry: () => position + 1 });
const contextOf = (overrides: Partial<RankingContext>): RankingContext => ({
  profile: profileOf(),
  nowMs: NOW,
  catalogue: () => info,
  itemStats: () => stats(),
  decay: defaultFeaturesParams,
  priceBucketOf: () => 'lt-200',
  priceBucketIndexOf: bucketIndex,
  listRanks: noListRanks,
  industrySize: () => 20,
  seedRecall: new Map(),
  scene: 'home',
  ...overrides,
});

/** Every item_* column for one item, computed into a fresh row. */
function itemColumns(itemStats: ItemStats, itemInfo: ItemInfo | undefined, context: RankingContext): Record<string, number> {
  const out = new Float64Array(FEATURE_COUNT);
  fillItemFeatures(out, item(5), itemInfo, itemStats, context, 0.5);
  const columns: Record<string, number> = {};
  RANKING_FEATURES.forEach((name, index) => {
    if (name.startsWith('item_')) columns[name] = out[index] ?? 0;
  });
  return columns;
}

describe('item features, kept per item between requests', () => {
  it('gives a later request the same columns as a first computation, its time-dependent ones at its own time', () => {
    const shared = stats();
    const first = itemColumns(shared, info, contextOf({}));
    expect(itemColumns(shared, info, contextOf({}))).toEqual(first);
    const later = contextOf({ nowMs: NOW + 5 * HOUR });
    const expected = itemColumns(stats(), info, later);
    expect(itemColumns(shared, info, later)).toEqual(expected);
    expect(expected['item_hours_since_last_event']).toBeCloseTo(7);
    expect(expected['item_views_log']).toBe(first['item_views_log']);
  });

  it('recomputes when the catalogue entry, the lists or the price buckets change', () => {
    const shared = stats();
    const listRanks = ranksAt(0);
    const before = itemColumns(shared, info, contextOf({ listRanks }));
    expect(before['item_popular_rank']).toBe(1);
    const cheaper = { ...info, price: 0, tags: ['rates', 'fx'] };
    expect(itemColumns(shared, cheaper, contextOf({ listRanks }))).toEqual(itemColumns(stats(), cheaper, contextOf({ listRanks })));
    expect(itemColumns(shared, cheaper, contextOf({ listRanks }))['item_is_free']).toBe(1);
    const newerLists = ranksAt(3);
    expect(itemColumns(shared, cheaper, contextOf({ listRanks: newerLists }))['item_popular_rank']).toBe(1 / 4);
    expect(itemColumns(shared, cheaper, contextOf({ listRanks: newerLists, priceBucketIndexOf: () => 0 }))['item_price_bucket_index']).toBe(0);
  });

  it('does not hand one item’s columns to another that shares the stats object (unknown items)', () => {
    const shared = stats();
    const listRanks: ListRanks = { popular: (id) => (id === item(5) ? 0 : 9), trending: () => undefined, industry: () => undefined };
    const columnsOf = (id: string): number => {
      const out = new Float64Array(FEATURE_COUNT);
      fillItemFeatures(out, item(id), info, shared, contextOf({ listRanks }), 0.5);
      return out[RANKING_FEATURES.indexOf('item_popular_rank')] ?? Number.NaN;
    };
    expect(columnsOf('5')).toBe(1);
    expect(columnsOf('6')).toBe(1 / 10);
  });
});

describe('item features from the stats hash', () => {
  it('reads each decayed counter from its own field, decays it by its own half-life, and gives 0 for an absent one', () => {
    const WEEK = 7 * 24 * HOUR;
    const held: Record<string, number> = { first_event_ms: NOW - 3 * 24 * HOUR };
    const values: [string, string, number, number][] = [
      ['events_1h', 'item_events_1h', 64, HOUR],
      ['events_24h', 'item_events_24h', 32, 24 * HOUR],
      ['events_7d', 'item_events_7d', 16, WEEK],
      ['view_7d', 'item_views_7d', 8, WEEK],
      ['click_7d', 'item_clicks_7d', 6, WEEK],
      ['download_7d', 'item_downloads_7d', 5, WEEK],
      ['favorite_7d', 'item_favorites_7d', 3, WEEK],
      ['cart_7d', 'item_carts_7d', 2, WEEK],
    ];
    // Each counter was last written one of its half-lives ago: it is worth half of what it holds.
    for (const [field, , value, halfLife] of values) {
      held[field] = value;
      held[`${field}@t`] = NOW - halfLife;
    }
    held['purchase_7d'] = 9; // no time field: absent
    const columns = itemColumns({ ...stats(), stats: held }, info, contextOf({}));
    for (const [, feature, value] of values) expect(columns[feature], feature).toBe(value / 2);
    expect(columns['item_purchases_7d']).toBe(0);
    expect(columns['item_trend']).toBe(Math.log((16 + 1) / (8 / 7 + 1)));
    expect(columns['item_days_since_first_event']).toBe(3);
    const empty = itemColumns({ ...stats(), stats: {} }, info, contextOf({}));
    expect([empty['item_events_1h'], empty['item_views_7d'], empty['item_trend'], empty['item_days_since_first_event']]).toEqual([0, 0, 0, 0]);
  });
});
