import { describe, expect, it } from 'vitest';
import type { ItemInfo } from '@streamrec/streams-common';
import { defaultFeaturesParams } from '@streamrec/features';
import { Channel } from '../recall/channels.js';
import { channelScoreRow, type FusedCandidate } from '../fusion/fusion.js';
import { unknownItemStats, type ItemStats } from './item-stats.js';
import { candidateFeatures, rankingRows, type RankingContext } from './ranking-rows.js';
import { NOW, item, profileOf } from '../test-fixtures.js';

const info: ItemInfo = { industry: 'finance', tags: ['rates', 'daily'], price: 199, available: true };
const stats: ItemStats = { popularityRaw: 0, counts: { view: 9, click: 3 }, distinctUsers: 7, ctrClicks: 2, ctrExposures: 100, lastEventMs: NOW - 7_200_000 };
const candidate: FusedCandidate = { item: item(5), fused: 1.5, channelScores: channelScoreRow({ [Channel.Cooccurrence]: 0.5, [Channel.Content]: 1 }), channels: [Channel.Content, Channel.Cooccurrence] };
const context: RankingContext = {
  profile: profileOf({ tagAffinity: [{ name: 'rates', value: 3 }, { name: 'maps', value: 1 }], industryAffinity: [{ name: 'finance', value: 2 }, { name: 'retail', value: 2 }] }),
  nowMs: NOW,
  catalogue: (id) => (id === item(5) ? info : { industry: null, tags: [], price: 99, available: true }),
  itemStats: (id) => (id === item(5) ? stats : unknownItemStats),
  decay: defaultFeaturesParams,
  priceBucketOf: () => 'lt-200',
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

describe('feature columns', () => {
  it('F gives each feature its index in RANKING_FEATURES', async () => {
    const { RANKING_FEATURES } = await import('@streamrec/ranking');
    const { F } = await import('./ranking-rows.js');
    expect(Object.keys(F)).toEqual([...RANKING_FEATURES]);
    RANKING_FEATURES.forEach((name, index) => expect(F[name]).toBe(index));
  });
});
