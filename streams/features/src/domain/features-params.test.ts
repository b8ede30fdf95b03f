import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { defaultFeaturesParams, parseFeaturesParams } from './features-params.js';

describe('features params', () => {
  it('defaults to the documented weights and half-lives and is frozen', () => {
    expect(defaultFeaturesParams.actionWeights).toEqual({ view: 1, click: 2, download: 3, favorite: 4, cart: 5, purchase: 10 });
    expect(defaultFeaturesParams.affinityHalfLifeMs).toBe(7 * 86_400_000);
    expect(defaultFeaturesParams.popularityHalfLifeMs).toBe(3 * 86_400_000);
    expect(Object.isFrozen(defaultFeaturesParams.actionWeights)).toBe(true);
  });

  it('overrides one weight and keeps the other defaults', () => {
    expect(parseFeaturesParams({ actionWeights: { purchase: 20 } }).actionWeights).toMatchObject({ view: 1, purchase: 20 });
  });

  it('lists every violation with its path in one REC_CONFIG_INVALID error', () => {
    let caught: unknown;
    try {
      parseFeaturesParams({ actionWeights: { view: -1 }, priceBucketBounds: [200, 50], recentItems: 0 });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, ErrorCode.ConfigInvalid)).toBe(true);
    expect(String((caught as Error).message)).toMatch(/actionWeights\.view[\s\S]*recentItems[\s\S]*priceBucketBounds: must be strictly ascending/);
  });
});
