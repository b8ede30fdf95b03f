import { describe, expect, it } from 'vitest';
import { CLUSTERS, GRAINS, INDUSTRIES, clusterFromTags } from './vocab/index.js';

describe('vocabulary', () => {
  it('covers 10-12 industries with bilingual labels', () => {
    expect(INDUSTRIES.length).toBeGreaterThanOrEqual(10);
    expect(INDUSTRIES.length).toBeLessThanOrEqual(12);
    for (const industry of INDUSTRIES) {
      expect(industry.label.zh).toMatch(/\p{Script=Han}/u);
      expect(industry.label.en).toMatch(/[A-Za-z]/);
    }
  });

  it('gives every cluster a tag no other tag of the vocabulary uses, so tags identify the cluster', () => {
    const clusterTags = CLUSTERS.map((ref) => ref.cluster.tag);
    expect(new Set(clusterTags).size).toBe(clusterTags.length);
    const otherTags = new Set<string>([
      ...INDUSTRIES.map((industry) => industry.tag),
      ...Object.keys(GRAINS),
      ...CLUSTERS.flatMap((ref) => ref.cluster.measures.map((measure) => measure.tag)),
      ...CLUSTERS.flatMap((ref) => ref.cluster.subjects.map((subject) => subject.region)),
      'api',
    ]);
    for (const tag of clusterTags) expect(otherTags.has(tag), tag).toBe(false);
  });

  it('recovers the cluster from stored tags', () => {
    expect(clusterFromTags(['finance', 'stock', 'china', 'ohlcv', 'daily'])?.cluster.key).toBe('equities');
    expect(clusterFromTags(['finance', 'daily'])).toBeUndefined();
  });
});
