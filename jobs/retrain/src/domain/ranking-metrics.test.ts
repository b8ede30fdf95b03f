import { describe, expect, it } from 'vitest';
import { auc, rankingMetrics } from './ranking-metrics.js';

const log2 = Math.log2;

describe('ranking metrics (the trainer definitions)', () => {
  it('computes NDCG@10 and HR@10 by hand on two groups', () => {
    // group 1: labels [0, 2, 1]; by score the rows go 1 (0.9), 2 (0.5), 0 (0.1): labels 2, 1, 0, the ideal order
    // group 2: labels [1, 0], scores [0.2, 0.8] → order labels [0, 1]
    const labels = [0, 2, 1, 1, 0];
    const groups = [3, 2];
    const scores = [0.1, 0.9, 0.5, 0.2, 0.8];
    const group1 = 1; // ideal order, NDCG 1
    const group2 = (1 / log2(3)) / (1 / log2(2));
    const metrics = rankingMetrics(labels, groups, scores);
    expect(metrics.ndcg_at_10).toBeCloseTo((group1 + group2) / 2, 12);
    expect(metrics.hr_at_10).toBe(1);
    expect(metrics).toMatchObject({ groups_evaluated: 2, groups: 2, rows: 5 });
  });

  it('uses the gain 2^label − 1 and the ideal order of the group', () => {
    // labels [3, 0, 1], ranked [1, 0, 3]: DCG = (2^1−1)/log2 2 + 0 + (2^3−1)/log2 4
    const metrics = rankingMetrics([3, 0, 1], [3], [0.1, 0.5, 0.9]);
    const dcg = 1 / log2(2) + 0 + 7 / log2(4);
    const ideal = 7 / log2(2) + 1 / log2(3);
    expect(metrics.ndcg_at_10).toBeCloseTo(dcg / ideal, 12);
  });

  it('counts only the top 10 and leaves groups without a positive out', () => {
    const labels = [...Array.from({ length: 11 }, () => 0), 1, 0, 0];
    const scores = [...Array.from({ length: 11 }, (_, index) => 100 - index), 1, 0.5, 0.25];
    const metrics = rankingMetrics(labels, [12, 2], scores);
    expect(metrics).toMatchObject({ ndcg_at_10: 0, hr_at_10: 0, groups_evaluated: 1, groups: 2 });
  });

  it('breaks score ties by row order (a constant model scores the rows as they are written)', () => {
    expect(rankingMetrics([0, 1], [2], [0.5, 0.5]).ndcg_at_10).toBeCloseTo(1 / log2(3), 12);
    expect(rankingMetrics([1, 0], [2], [0.5, 0.5]).ndcg_at_10).toBe(1);
  });

  it('is null without any group with a positive', () => {
    expect(rankingMetrics([0, 0], [2], [1, 2])).toMatchObject({ ndcg_at_10: null, hr_at_10: null, auc: null, groups_evaluated: 0 });
  });

  it('computes AUC over all rows with ties counted half', () => {
    expect(auc([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2])).toBe(1);
    expect(auc([1, 0, 1, 0], [0.1, 0.9, 0.2, 0.8])).toBe(0);
    expect(auc([1, 0], [0.5, 0.5])).toBe(0.5);
    // positives 0.8, 0.4; negatives 0.6, 0.4: pairs (0.8>0.6) 1, (0.8>0.4) 1, (0.4<0.6) 0, (0.4=0.4) 0.5 → 2.5 / 4
    expect(auc([1, 0, 1, 0], [0.8, 0.6, 0.4, 0.4])).toBe(0.625);
    expect(auc([1, 1], [0.1, 0.2])).toBeNull();
  });

  it('refuses scores that do not match the rows or groups that do not cover them', () => {
    expect(() => rankingMetrics([1, 0], [2], [1])).toThrow(/1 scores for 2 rows/);
    expect(() => rankingMetrics([1, 0], [1], [1, 0])).toThrow(/group sizes sum to 1/);
  });
});
