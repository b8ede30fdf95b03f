import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@streamrec/foundation/process';
import { renderFeaturesDoc } from './features-doc.js';
import { FEATURE_DEFINITIONS, FeatureFamily, featuresOf } from './ranking-features.js';

describe('the feature list', () => {
  it('has at least 30 user, 40 item and 12 cross/context features, each defined once with meaning, source, window and unit', () => {
    expect(featuresOf(FeatureFamily.User).length).toBeGreaterThanOrEqual(30);
    expect(featuresOf(FeatureFamily.Item).length).toBeGreaterThanOrEqual(40);
    expect(featuresOf(FeatureFamily.Cross).length + featuresOf(FeatureFamily.Context).length).toBeGreaterThanOrEqual(12);
    const names = FEATURE_DEFINITIONS.map(({ name }) => name);
    expect(new Set(names).size).toBe(names.length);
    for (const definition of FEATURE_DEFINITIONS) {
      expect(definition.name).toMatch(/^[a-z][a-z0-9_]*$/);
      for (const text of [definition.meaning, definition.source, definition.window, definition.unit]) expect(text.trim().length, definition.name).toBeGreaterThan(0);
    }
  });

  it('keeps the original 34 names first and in order (models and logged exposures use them)', () => {
    expect(FEATURE_DEFINITIONS.slice(0, 3).map(({ name }) => name)).toEqual(['ch_transition', 'ch_cooccurrence', 'ch_tag']);
    expect(FEATURE_DEFINITIONS[33]?.name).toBe('cross_transition_max');
  });

  it('is what docs/features.md says (generated: npm run model -- features-doc)', () => {
    // The committed file may carry a trained model's gain column: compare without it.
    const normalise = (doc: string): string =>
      doc
        .replace(/^Importance: .*$/m, 'Importance:')
        .replace(/ gain share \|$/gm, '')
        .replace(/^\|---\|---\|---\|---\|---\|---:\|$/gm, '|---|---|---|---|---|')
        .replace(/^(\| `[a-z0-9_]+` \|(?:[^|]*\|){4})[^|]*\|$/gm, '$1');
    const committed = readFileSync(join(repoRoot, 'docs', 'features.md'), 'utf8');
    expect(normalise(committed)).toBe(normalise(renderFeaturesDoc()));
    expect(normalise(renderFeaturesDoc({ model: 'ranker v1', gain: { ch_transition: 1 } }))).toBe(normalise(renderFeaturesDoc()));
  });

  it('adds each feature\'s share of the gain when a model\'s importance is given', () => {
    const doc = renderFeaturesDoc({ model: 'ranker v7', gain: { ch_transition: 3, fused_score: 1 } });
    expect(doc).toContain('| `ch_transition` |');
    expect(doc).toMatch(/\| `ch_transition` \|.* 75\.0 % \|/);
    expect(doc).toMatch(/\| `fused_score` \|.* 25\.0 % \|/);
    expect(doc).toContain('`ranker v7`');
  });
});
