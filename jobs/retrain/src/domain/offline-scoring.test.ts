import { describe, expect, it } from 'vitest';
import { seededRandom } from '@streamrec/foundation';
import { bootstrapInterval, OfflineScoreboard, pairedGain, Scorer } from './offline-scoring.js';
import { ndcgPerGroup, rankingMetrics } from './ranking-metrics.js';

const log2 = Math.log2;

describe('offline scoreboard', () => {
  it('keeps an overall segment and one per experiment variant, each with the gate metrics of every scorer', () => {
    const board = new OfflineScoreboard([Scorer.Candidate, Scorer.Served]);
    // A: candidate puts the purchase (grade 5) first, served order puts it second.
    board.add({ experiment: 'e1', variant: 'control', grades: [0, 5], scores: { candidate: [0.1, 0.9], served: [2, 1] } });
    // B: both put the click (grade 2) first.
    board.add({ experiment: 'e1', variant: 'treatment', grades: [2, 0, 0], scores: { candidate: [0.7, 0.2, 0.1], served: [3, 2, 1] } });
    const results = board.results({ resamples: 0, seed: 1 });
    expect(results.map((segment) => [segment.all, segment.experiment, segment.variant])).toEqual([
      [true, '', ''],
      [false, 'e1', 'control'],
      [false, 'e1', 'treatment'],
    ]);
    const [all, control, treatment] = results;
    expect(all).toMatchObject({ requests: 2, rows: 5, positives: 2 });
    // By hand: control served order = label 0 at rank 1, 5 at rank 2 → (31 / log2 3) / 31.
    expect(control?.metrics.served?.ndcg_at_10).toBeCloseTo(1 / log2(3), 12);
    expect(control?.metrics.candidate?.ndcg_at_10).toBe(1);
    expect(treatment?.metrics.served?.ndcg_at_10).toBe(1);
    expect(all?.metrics.served?.ndcg_at_10).toBeCloseTo((1 / log2(3) + 1) / 2, 12);
    expect(all?.metrics.candidate?.hr_at_10).toBe(1);
    expect(all?.gains).toEqual([{ against: 'served', mean: (1 - 1 / log2(3)) / 2, ci95: null, verdict: 'no clear difference' }]);
    expect(control?.metrics.baseline).toBeUndefined();
  });

  it('refuses a request whose scores do not cover its rows', () => {
    const board = new OfflineScoreboard([Scorer.Candidate, Scorer.Baseline, Scorer.Served]);
    expect(() => board.add({ experiment: '', variant: '', grades: [1, 0], scores: { candidate: [1, 0], served: [1, 0] } })).toThrow(/no baseline scores/);
    expect(() => new OfflineScoreboard([Scorer.Served])).toThrow(/candidate/);
  });
});

describe('NDCG per group', () => {
  it('equals the mean rankingMetrics reports, NaN for groups without a positive', () => {
    const labels = [0, 2, 1, 0, 0, 1, 0];
    const groups = [3, 2, 2];
    const scores = [0.1, 0.9, 0.5, 0.3, 0.2, 0.2, 0.8];
    const perGroup = ndcgPerGroup(labels, groups, scores);
    expect(Number.isNaN(perGroup[1])).toBe(true);
    expect(perGroup[0]).toBe(1);
    expect(perGroup[2]).toBeCloseTo(1 / log2(3), 12);
    expect(rankingMetrics(labels, groups, scores).ndcg_at_10).toBeCloseTo((1 + 1 / log2(3)) / 2, 12);
  });
});

describe('paired bootstrap of the NDCG gain', () => {
  it('reads a constant difference as that value with a zero-width interval', () => {
    const [low, high] = bootstrapInterval([0.25, 0.25, 0.25], 200, 3) ?? [];
    expect(low).toBe(0.25);
    expect(high).toBe(0.25);
    const gain = pairedGain(Scorer.Baseline, Float64Array.of(0.5, 0.75, Number.NaN), Float64Array.of(0.25, 0.5, 0.9), { resamples: 100, seed: 1 });
    expect(gain).toMatchObject({ mean: 0.25, ci95: [0.25, 0.25], verdict: 'better' });
  });

  it('matches the normal approximation of the mean on a large sample (reference: mean ± 1.96 s / √n)', () => {
    const random = seededRandom(11);
    const values = Array.from({ length: 2000 }, () => random() - 0.45);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
    const [low, high] = bootstrapInterval(values, 2000, 5) ?? [Number.NaN, Number.NaN];
    const half = (1.96 * sd) / Math.sqrt(values.length);
    expect(low).toBeCloseTo(mean - half, 2);
    expect(high).toBeCloseTo(mean + half, 2);
    expect(Math.abs(high - low - 2 * half) / (2 * half)).toBeLessThan(0.1);
  });

  it('is seeded: the same input and seed give the same interval', () => {
    const values = [0.1, -0.2, 0.3, 0.05, 0, 0.4];
    expect(bootstrapInterval(values, 500, 9)).toEqual(bootstrapInterval(values, 500, 9));
    expect(bootstrapInterval(values, 500, 9)).not.toEqual(bootstrapInterval(values, 500, 10));
  });

  it('says worse when the interval is below zero and no data without a common evaluated group', () => {
    const candidate = Float64Array.from({ length: 50 }, (_, index) => 0.2 + (index % 5) * 0.01);
    const other = Float64Array.from({ length: 50 }, () => 0.6);
    expect(pairedGain(Scorer.Served, candidate, other, { resamples: 300, seed: 2 }).verdict).toBe('worse');
    expect(pairedGain(Scorer.Served, Float64Array.of(Number.NaN), Float64Array.of(0.5), { resamples: 300, seed: 2 })).toEqual({ against: 'served', mean: null, ci95: null, verdict: 'no data' });
  });
});
