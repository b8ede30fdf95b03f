import { describe, expect, it } from 'vitest';
import { describeDataset } from './catalogue-index.js';
import { CATALOGUE_SHAPE, generateDatasetDrafts, nicePriceCents } from './catalogue.js';
import { Rng } from './rng.js';
import { TEST_WINDOW_START } from './test-world.js';
import { DatasetStatus, MS_PER_DAY, addMs, asDatasetId } from './types.js';
import { INDUSTRIES } from './vocab/index.js';

const window = { start: TEST_WINDOW_START, end: addMs(TEST_WINDOW_START, 30 * MS_PER_DAY) };
const drafts = generateDatasetDrafts(new Rng('catalogue-test'), 3000, window);

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.floor(q * (sorted.length - 1))] ?? NaN;

describe('generateDatasetDrafts', () => {
  it('produces the same catalogue for the same seed and a different one for another seed', () => {
    const again = generateDatasetDrafts(new Rng('catalogue-test'), 3000, window);
    expect(again).toEqual(drafts);
    expect(generateDatasetDrafts(new Rng('other'), 50, window)).not.toEqual(drafts.slice(0, 50));
  });

  it('writes titles and descriptions in Chinese and in English', () => {
    const chinese = drafts.filter((d) => /\p{Script=Han}/u.test(d.title)).length / drafts.length;
    expect(chinese).toBeGreaterThan(0.45);
    expect(chinese).toBeLessThan(0.65);
    expect(drafts.some((d) => /^US equities (daily|weekly|minute-level) OHLCV \d{4}-\d{4}/.test(d.title))).toBe(true);
    expect(drafts.some((d) => /^A股(日线|周线|分钟线)行情 \d{4}-\d{4}/.test(d.title))).toBe(true);
    for (const draft of drafts.slice(0, 200)) expect(draft.description.length).toBeGreaterThan(draft.title.length + 40);
  });

  it('tags every dataset so its industry, cluster and series can be recovered', () => {
    drafts.slice(0, 500).forEach((draft, i) => {
      expect(draft.tags[0]).toBe(INDUSTRIES.find((industry) => industry.key === draft.industry)?.tag);
      const described = describeDataset({ ...draft, id: asDatasetId(i + 1) });
      expect(described.clusterKey).not.toBeNull();
      expect(described.seriesKey).not.toContain('|-');
      expect(described.grain).not.toBeNull();
    });
  });

  it('spans 10+ industries, unevenly', () => {
    const perIndustry = new Map<string, number>();
    for (const draft of drafts) perIndustry.set(draft.industry, (perIndustry.get(draft.industry) ?? 0) + 1);
    expect(perIndustry.size).toBeGreaterThanOrEqual(10);
    expect(Math.max(...perIndustry.values())).toBeGreaterThan(2 * Math.min(...perIndustry.values()));
  });

  it('prices with a log-normal-like spread: some free, a cheap bulk and a long expensive tail', () => {
    const free = drafts.filter((d) => d.priceCents === 0).length / drafts.length;
    expect(free).toBeGreaterThan(CATALOGUE_SHAPE.freeShare - 0.03);
    expect(free).toBeLessThan(CATALOGUE_SHAPE.freeShare + 0.03);
    const prices = drafts.filter((d) => d.priceCents > 0).map((d) => d.priceCents / 100).sort((a, b) => a - b);
    const median = quantile(prices, 0.5);
    expect(median).toBeGreaterThan(200);
    expect(median).toBeLessThan(2000);
    expect(quantile(prices, 0.95) / median).toBeGreaterThan(4);
    expect(median / quantile(prices, 0.05)).toBeGreaterThan(3);
  });

  it('mostly lists datasets, with a few drafts and unlisted ones', () => {
    const share = (status: string): number => drafts.filter((d) => d.status === status).length / drafts.length;
    expect(share(DatasetStatus.Listed)).toBeGreaterThan(0.88);
    expect(share(DatasetStatus.Draft)).toBeGreaterThan(0.02);
    expect(share(DatasetStatus.Unlisted)).toBeGreaterThan(0.01);
  });
});

describe('nicePriceCents', () => {
  it('snaps to the price points a seller would choose', () => {
    expect(nicePriceCents(103)).toBe(9900);
    expect(nicePriceCents(1850)).toBe(199_900);
    expect(nicePriceCents(5)).toBe(990);
  });
});
