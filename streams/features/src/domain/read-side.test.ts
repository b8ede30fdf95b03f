import { describe, expect, it } from 'vitest';
import { createMemoryState } from '@streamrec/streams-common/testing';
import { defaultFeaturesParams as params } from './features-params.js';
import { decayedAffinities, smoothedCtr } from './read-side.js';
import { catalogue, interaction, userContext, weatherItem } from './test-fixtures.js';
import { featuresUserStage } from './user-stage.js';

const DAY = 86_400_000;

describe('features read side', () => {
  it('decays stored affinities at read time to the naive decayed sum (within 1e-9 relative)', () => {
    const context = userContext('42');
    const state = createMemoryState();
    const events = [
      { action: 'view', time: Date.UTC(2026, 9, 1) },
      { action: 'purchase', time: Date.UTC(2026, 10, 10) },
      { action: 'cart', time: Date.UTC(2026, 10, 24) },
    ] as const;
    events.forEach(({ action, time }, index) => {
      const { ops } = featuresUserStage(interaction({ event_id: `e${index}`, action, event_time: time }), context, params, catalogue({ 7: { ...weatherItem, tags: ['weather'] } }));
      state.applyBatch('offsets', 'features', [{ offset: BigInt(index), ops }]);
    });
    const now = Date.UTC(2026, 10, 25);
    const naive = events.reduce((sum, { action, time }) => sum + params.actionWeights[action] * 0.5 ** ((now - time) / (7 * DAY)), 0);
    const [industry] = decayedAffinities(state.zrevrangeWithScores(`sr:v1:{p${context.partition}}:user:42:industry-affinity`), now, params);
    expect(industry?.name).toBe('agriculture');
    expect(Math.abs((industry?.value ?? 0) - naive) / naive).toBeLessThan(1e-9);
  });

  it('smooths CTR toward the prior for few exposures and toward the observed rate for many', () => {
    expect(smoothedCtr(0, 0)).toBeCloseTo(0.05, 12);
    expect(smoothedCtr(1, 2)).toBeLessThan(0.5);
    expect(smoothedCtr(300, 1_000)).toBeGreaterThan(0.29);
  });
});
