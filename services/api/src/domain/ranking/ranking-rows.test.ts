import { describe, expect, it } from 'vitest';
import type { ItemInfo } from '@streamrec/streams-common';
import { defaultFeaturesParams } from '@streamrec/features';
import { Channel } from '../recall/channels.js';
import { channelScoreRow, type FusedCandidate } from '../fusion/fusion.js';
import { unknownItemStats, type ItemStats } from './item-stats.js';
import { candidateFeatures, noListRanks, rankingRows, type RankingContext } from './ranking-rows.js';
import { NOW, item, profileOf } from '../test-fixtures.js';

const info: ItemInfo = { industry: 'finance', tags: ['rates', 'daily'], price: 199, available: true };
const stats: ItemStats = { popularityRaw: 0, counts: { view: 9, click: 3 }, distinctUsers: 7, ctrClicks: 2, ctrExposures: 100, lastEventMs: NOW - 7_200_000, stats: {} };
const candidate: FusedCandidate = { item: item(5), fused: 1.5, channelScores: channelScoreRow({ [Channel.Cooccurrence]: 0.5, [Channel.Content]: 1 }), channels: [Channel.Content, Channel.Cooccurrence] };
const context: RankingContext = {
  profile: profileOf({ tagAffinity: [{ name: 'rates', value: 3 }, { name: 'maps', value: 1 }], industryAffinity: [{ name: 'finance', value: 2 }, { name: 'retail', value: 2 }] }),
  nowMs: NOW,
  catalogue: (id) => (id === item(5) ? info : { industry: null, tags: [], price: 99, available: true }),
  itemStats: (id) => (id === item(5) ? stats : unknownItemStats),
  decay: defaultFeaturesParams,
  priceBucketOf: () => 'lt-200',
  priceBucketIndexOf: () => 2,
  listRanks: noListRanks,
  industrySize: () => 20,
  seedRecall: new Map(),
  scene: 'home',
};

describe('ranking features', () => {
  it('computes channel, item and user × item features for a candidate', () => {
    const values = candidateFeatures(candidate, context);
    expect(values).toMatchObject({
      ch_cooccurrence: 0.5,
      ch_content: 1,
      ch_transition: 0,
      fused_score: 1.5,
      channel_count: 2,
      user_views_log: Math.log1p(5),
      user_recent_count: 2,
      item_views_log: Math.log1p(9),
      item_distinct_users_log: Math.log1p(7),
      item_ctr: (2 + 0.05 * 20) / (100 + 20),
      item_hours_since_last_event: 2,
      cross_tag_affinity: 0.75,
      cross_industry_affinity: 0.5,
      cross_cooccurrence_max: 0.5,
    });
    // The user's usual price is the mean of their recent items' prices (99 each): log((199 + 1) / (99 + 1)).
    expect(values.cross_price_ratio).toBeCloseTo(Math.log(2), 12);
  });

  it('lays rows out in the model’s column order, one row per candidate', () => {
    const other: FusedCandidate = { ...candidate, item: item(6), fused: 0.25, channelScores: channelScoreRow({}) };
    const rows = rankingRows([candidate, other], ['fused_score', 'ch_content', 'item_views_log'], context);
    expect(Array.from(rows)).toEqual([1.5, 1, Math.fround(Math.log1p(9)), 0.25, 0, 0]);
  });
});

describe('the trained ranker\'s features', () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const profile = profileOf({
    counts: { view: 8, download: 1, purchase: 1 },
    stats: { 'events_24h': 4, 'events_24h@t': NOW - DAY, 'view_7d': 2, 'view_7d@t': NOW, first_event_ms: NOW - 10 * DAY, price_sum: 300, price_n: 3, price_max: 199, free_n: 1, purchased_price_sum: 50, purchased_price_n: 1 },
    activeDays: 4,
    sessions: 6,
    account: { industry: 'finance', country: 'DE', createdAtMs: NOW - 100 * DAY },
    tagAffinity: [{ name: 'rates', value: 1 }, { name: 'maps', value: 1 }],
  });
  const itemStats: ItemStats = { popularityRaw: 0, counts: { view: 9, download: 3, purchase: 1 }, distinctUsers: 6, ctrClicks: 0, ctrExposures: 40, lastEventMs: NOW - HOUR, stats: { 'events_7d': 14, 'events_7d@t': NOW, 'events_24h': 1, 'events_24h@t': NOW, first_event_ms: NOW - 2 * DAY } };
  const ranked: FusedCandidate = { ...candidate, channelRanks: channelScoreRow({ [Channel.Cooccurrence]: 4, [Channel.Content]: 0 }).map((rank, index) => (rank === 0 && index !== 6 ? -1 : rank)) };
  const full: RankingContext = {
    ...context,
    profile,
    scene: 'item_detail',
    catalogue: (id) => (id === item(5) ? { ...info, attributes: { createdAtMs: NOW - 30 * DAY, updatedAtMs: NOW - DAY, titleLength: 12, descriptionLength: 99, cjkShare: 0 } } : undefined),
    itemStats: () => itemStats,
    listRanks: { popular: () => 9, trending: () => undefined, industry: (_id, industry) => (industry === 'finance' ? 1 : undefined) },
    seedRecall: new Map([[item(5), { seeds: 2, bestPosition: 0 }]]),
  };

  it('derives the user side from counts, decayed stats, sessions and the shop account', () => {
    const values = candidateFeatures(ranked, full);
    expect(values.user_events_log).toBeCloseTo(Math.log1p(10), 12);
    expect(values.user_events_24h).toBeCloseTo(2, 12); // 4 a day ago, 24 h half-life
    expect(values.user_views_7d).toBeCloseTo(2, 12);
    expect(values.user_view_share).toBeCloseTo(0.8, 12);
    expect(values.user_purchase_conversion).toBeCloseTo(1 / 9, 12);
    expect(values.user_active_days_log).toBeCloseTo(Math.log1p(4), 12);
    expect(values.user_sessions_log).toBeCloseTo(Math.log1p(6), 12);
    expect(values.user_days_since_first_event).toBeCloseTo(10, 9);
    expect(values.user_mean_gap_hours).toBeCloseTo((10 * DAY - 1_000) / HOUR / 9, 9); // last event 1 s ago
    expect(values.user_price_mean_log).toBeCloseTo(Math.log1p(100), 12);
    expect(values.user_free_share).toBeCloseTo(1 / 3, 12);
    expect(values.user_purchased_price_mean_log).toBeCloseTo(Math.log1p(50), 12);
    expect(values.user_tag_entropy).toBeCloseTo(Math.log(2), 12);
    expect(values.user_tenure_days).toBeCloseTo(100, 9);
    expect(values.user_has_profile).toBe(1);
    expect(values.user_country_code).toBe(26 * 3 + 4 + 1); // D=3, E=4
  });

  it('derives the item side, the cross features and the request context', () => {
    const values = candidateFeatures(ranked, full);
    expect(values.item_events_log).toBeCloseTo(Math.log1p(13), 12);
    expect(values.item_trend).toBeCloseTo(Math.log(2 / 3), 12); // (1 + 1) / (14 / 7 + 1)
    expect(values.item_view_download_conversion).toBeCloseTo(0.3, 12);
    expect(values.item_exposures_log).toBeCloseTo(Math.log1p(40), 12);
    expect(values.item_age_days).toBeCloseTo(30, 9);
    expect(values.item_days_since_first_event).toBeCloseTo(2, 9);
    expect(values.item_title_length).toBe(12);
    expect(values.item_industry_rank).toBeCloseTo(0.5, 12);
    expect(values.item_popular_rank).toBeCloseTo(0.1, 12);
    expect(values.item_trending_rank).toBe(0);
    expect(values.item_industry_size_log).toBeCloseTo(Math.log1p(20), 12);
    expect(values.item_price_bucket_index).toBe(2);
    expect(values.cross_price_vs_max).toBeCloseTo(Math.log(200 / 200), 12);
    expect(values.cross_seed_count).toBe(2);
    expect(values.cross_from_newest_seed).toBe(1);
    expect(values.cross_rank_cooccurrence).toBeCloseTo(0.2, 12);
    expect(values.cross_rank_content).toBe(1);
    expect(values.cross_rank_best).toBe(1);
    expect(values.cross_profile_industry_match).toBe(1);
    expect(values.context_scene).toBe(1);
    expect(values.context_hour_of_day).toBe(new Date(NOW).getUTCHours());
  });

  it('gives every feature a finite value, also for an unknown user and item', () => {
    for (const values of [candidateFeatures(ranked, full), candidateFeatures({ ...candidate, item: item(999) }, { ...context, itemStats: () => unknownItemStats })]) {
      for (const [name, value] of Object.entries(values)) expect(Number.isFinite(value), name).toBe(true);
    }
  });

  it('gives a model that reads some of the features, in any order, the values of the full rows', async () => {
    const { RANKING_FEATURES } = await import('@streamrec/ranking');
    const { seededRandom } = await import('@streamrec/foundation');
    const candidates = [ranked, candidate, { ...candidate, item: item(999) }];
    const contexts = [full, context, { ...context, itemStats: () => unknownItemStats }];
    const random = seededRandom(5);
    for (const rankingContext of contexts) {
      // The reference: every feature of each candidate (candidateFeatures computes whole rows), as float32.
      const full = candidates.map((each) => candidateFeatures(each, rankingContext) as Readonly<Record<string, number>>);
      const subsets = [...RANKING_FEATURES.map((name) => [name]), ...Array.from({ length: 40 }, () => RANKING_FEATURES.filter(() => random() < 0.2).sort(() => random() - 0.5)), ['no_such_feature', 'item_ctr']];
      for (const subset of subsets) {
        const rows = rankingRows(candidates, [...subset], rankingContext);
        const expected = full.flatMap((values) =>
          subset.map((name) => {
            const value = values[name] ?? 0;
            return Number.isFinite(value) ? Math.fround(value) : 0;
          }),
        );
        expect(Array.from(rows), subset.join(',')).toEqual(expected);
      }
    }
  });
});

describe('feature columns', () => {
  it('F gives each feature its index in RANKING_FEATURES', async () => {
    const { RANKING_FEATURES } = await import('@streamrec/ranking');
    const { F } = await import('./ranking-rows.js');
    expect(Object.keys(F)).toEqual([...RANKING_FEATURES]);
    RANKING_FEATURES.forEach((name, index) => expect(F[name]).toBe(index));
  });
});
