import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@streamrec/foundation/process';
import { livePopularityCheck, metricSelfCheck, popularityMetrics } from './checks.js';
import { buildDataset, parseItemAttributes, parseSequences } from './dataset.js';
import { compareMetrics, metricsFromRanks, rankInList, round4 } from './metrics.js';
import { PopularityCount, TieRule } from './popularity.js';
import { parsePublishedResults } from './published.js';

/**
 * The real dataset is not in the repository: it lives beside the main checkout (`../shared/datasets`)
 * on the team's machines, where a fresh clone elsewhere finds it under /work/shared. Where it is
 * absent these tests are skipped, loudly.
 */
const datasetRoots = [join(repoRoot, '..', 'shared', 'datasets'), '/work/shared/datasets'];
const beautyDir = datasetRoots.map((root) => join(root, 'amazon-beauty')).find((dir) => existsSync(join(dir, 'Beauty.txt')));
if (beautyDir === undefined) console.warn(`Amazon Beauty not found (looked in ${datasetRoots.join(', ')}): its self-check tests are skipped`);

describe('metrics', () => {
  it('computes HR and NDCG at 5, 10 and 20 as the README defines them', () => {
    const metrics = metricsFromRanks([0, 4, 9, 19, null]);
    expect(metrics['HR@5']).toBeCloseTo(2 / 5, 12);
    expect(metrics['HR@10']).toBeCloseTo(3 / 5, 12);
    expect(metrics['HR@20']).toBeCloseTo(4 / 5, 12);
    expect(metrics['NDCG@5']).toBeCloseTo((1 + 1 / Math.log2(6)) / 5, 12);
    expect(metrics['NDCG@20']).toBeCloseTo((1 + 1 / Math.log2(6) + 1 / Math.log2(11) + 1 / Math.log2(21)) / 5, 12);
  });

  it('finds the target in a served list, beyond the cutoff as a miss', () => {
    expect(rankInList([7, 8, 9], 9)).toBe(2);
    expect(rankInList([7, 8], 9)).toBeNull();
    expect(rankInList(Array.from({ length: 25 }, (_, index) => index), 22)).toBeNull();
  });

  it('compares with a tolerance', () => {
    const ours = metricsFromRanks([0, null]);
    expect(compareMetrics(ours, ours, 0).ok).toBe(true);
    expect(compareMetrics(ours, { ...ours, 'HR@5': ours['HR@5'] + 0.001 }, 0.0005).ok).toBe(false);
    expect(round4(0.01515)).toBe(0.0152);
  });
});

describe.skipIf(beautyDir === undefined)('the metric self-check on the real Amazon Beauty file', () => {
  const dir = beautyDir ?? '';
  const users = parseSequences(readFileSync(join(dir, 'Beauty.txt'), 'utf8'));
  const dataset = buildDataset(users, parseItemAttributes(readFileSync(join(dir, 'Beauty_item2attributes.json'), 'utf8')));
  const published = parsePublishedResults(readFileSync(join(dir, 'README.md'), 'utf8'));

  it('reproduces the published PopRec row exactly from the leaky popularity ranking', () => {
    const check = metricSelfCheck(dataset.users, dataset.items, published.leakyPopularity);
    expect(check.ok).toBe(true);
    expect(published.leakyPopularity).toEqual({ 'HR@5': 0.008, 'NDCG@5': 0.0044, 'HR@10': 0.0152, 'NDCG@10': 0.0068, 'HR@20': 0.0217, 'NDCG@20': 0.0084 });
  });

  it('reproduces the leak-free popularity row, and the API tie order stays within the live tolerance of it', () => {
    const readmeRule = popularityMetrics(dataset.users, PopularityCount.LeakFree, TieRule.HigherIdFirst, dataset.items);
    expect(compareMetrics(readmeRule, published.leakFreePopularity!, 0, true).ok).toBe(true);
    const apiRule = popularityMetrics(dataset.users, PopularityCount.LeakFree, TieRule.IdTextAscending);
    expect(livePopularityCheck(apiRule, published.leakFreePopularity).ok).toBe(true);
  });

  it('fails when the metric code is off', () => {
    const wrong = { ...published.leakyPopularity!, 'HR@10': 0.0153 };
    expect(metricSelfCheck(dataset.users, dataset.items, wrong).ok).toBe(false);
  });
});
