import { describe, expect, it } from 'vitest';
import { AFFINITY, cartPriceFactor, matchItem } from './affinity.js';
import { EQUITIES_FAN, datasetIn } from './reaction-fixtures.js';

const match = (clusterKey: string, grain: 'daily' | 'minute' | 'monthly', priceCents = 10_000) =>
  matchItem(EQUITIES_FAN, 'finance', datasetIn(1, clusterKey, grain, priceCents));

describe('matchItem', () => {
  it('ranks the strongest interest over a minor one, the related industry and unrelated datasets', () => {
    const primary = match('equities', 'daily').relevance;
    const minor = match('crypto', 'daily').relevance;
    const related = match('macro', 'monthly').relevance;
    const unrelated = match('pharma', 'monthly').relevance;
    expect(primary).toBe(AFFINITY.primaryCluster);
    expect(minor).toBeCloseTo(AFFINITY.minorClusterFloor + (1 - AFFINITY.minorClusterFloor) * (0.35 / 0.65), 10);
    expect(related).toBeCloseTo(AFFINITY.relatedIndustry * AFFINITY.otherGrain, 10);
    expect(unrelated).toBeCloseTo(AFFINITY.unrelated * AFFINITY.otherGrain, 10);
    expect(primary).toBeGreaterThan(minor);
    expect(minor).toBeGreaterThan(related);
    expect(related).toBeGreaterThan(unrelated);
  });

  it('lowers datasets of another grain than the preferred one, and not at all without a preference', () => {
    expect(match('equities', 'minute').relevance).toBeCloseTo(AFFINITY.otherGrain, 10);
    const noPreference = { ...EQUITIES_FAN, preferredGrain: null };
    expect(matchItem(noPreference, 'finance', datasetIn(1, 'equities', 'minute', 10_000)).relevance).toBe(1);
  });

  it('makes expensive datasets less appealing with the cart price bands of the organic funnel', () => {
    expect([cartPriceFactor(0), cartPriceFactor(49_999), cartPriceFactor(50_000), cartPriceFactor(300_000)]).toEqual([1.3, 1.3, 1, 0.6]);
    const cheap = match('equities', 'daily', 9_900);
    const dear = match('equities', 'daily', 999_900);
    expect(cheap.affinity).toBe(1);
    expect(dear.affinity).toBeCloseTo(0.6 / 1.3, 10);
    expect(dear.relevance).toBe(cheap.relevance);
  });

  it('counts the own industry as related even without a cluster in it', () => {
    const healthcareWorker = matchItem(EQUITIES_FAN, 'healthcare', datasetIn(1, 'pharma', 'monthly', 10_000));
    expect(healthcareWorker.relevance).toBeCloseTo(AFFINITY.relatedIndustry * AFFINITY.otherGrain, 10);
  });
});
