import { describe, expect, it } from 'vitest';
import { isRankingFeature } from '@streamrec/ranking';
import { linearRankerScore } from '@streamrec/ranking';
import { bootstrapLinearWeights } from './bootstrap-ranker.js';

describe('bootstrapLinearWeights', () => {
  const model = bootstrapLinearWeights();

  it('uses only known ranking features, once each, with positive finite weights', () => {
    expect(model.featureNames.every(isRankingFeature)).toBe(true);
    expect(new Set(model.featureNames).size).toBe(model.featureNames.length);
    expect(model.weights.every((weight) => Number.isFinite(weight) && weight > 0)).toBe(true);
    expect(model.featureNames).toEqual(expect.arrayContaining(['ch_transition', 'ch_cooccurrence', 'ch_content', 'fused_score', 'item_ctr', 'cross_tag_affinity']));
  });

  it('ranks a candidate the user’s transitions point at above a merely popular one', () => {
    const row = (values: Record<string, number>): number[] => model.featureNames.map((name) => values[name] ?? 0);
    const transition = linearRankerScore(model, row({ ch_transition: 0.9, fused_score: 0.6, channel_count: 1 }));
    const popular = linearRankerScore(model, row({ ch_popular: 0.9, fused_score: 0.3, channel_count: 1, item_popularity_log: 5 }));
    expect(transition).toBeGreaterThan(popular);
  });
});
