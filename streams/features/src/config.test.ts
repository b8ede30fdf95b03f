import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { loadFeaturesConfig } from './config.js';

describe('features config', () => {
  it('defaults to the local stack, state v1, earliest and metrics port 19102', () => {
    const config = loadFeaturesConfig({});
    expect(config.stateVersion).toBe('v1');
    expect(config.startFrom).toBe('earliest');
    expect(config.metrics.port).toBe(19_102);
    expect(config.params.recentItems).toBe(50);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fails fast listing every bad setting', () => {
    try {
      loadFeaturesConfig({ STREAMREC_FEATURES_STATE_VERSION: 'live', STREAMREC_FEATURES_START_FROM: 'middle', STREAMREC_FEATURES_METRICS_PORT: 'x' });
      expect.unreachable('should throw');
    } catch (error) {
      expect(isAppError(error, ErrorCode.ConfigInvalid)).toBe(true);
      const violations = (error as { details: { violations: string[] } }).details.violations;
      expect(violations.map((violation) => violation.split(':')[0])).toEqual(expect.arrayContaining(['stateVersion', 'startFrom', 'metrics.port']));
    }
  });

  it('merges STREAMREC_FEATURES_TOPICS over the default topics and rejects unknown names', () => {
    const config = loadFeaturesConfig({ STREAMREC_FEATURES_TOPICS: '{"interactions":"test.interactions"}', STREAMREC_FEATURES_START_AT: '2026-01-02T00:00:00Z' });
    expect(config.topics).toEqual({ interactions: 'test.interactions', items: 'events.items.v1', users: 'events.users.v1', exposures: 'serving.exposures.v1', itemActivity: 'repartition.item-activity.v1' });
    expect(config.startAt).toBe(Date.UTC(2026, 0, 2));
    expect(() => loadFeaturesConfig({ STREAMREC_FEATURES_TOPICS: '{"interaction":"typo"}' })).toThrow(/topics/);
    expect(() => loadFeaturesConfig({ STREAMREC_FEATURES_TOPICS: '{oops' })).toThrow(/topics/);
  });

  it("uses the state version's own item-activity topic unless one is named", () => {
    expect(loadFeaturesConfig({ STREAMREC_FEATURES_STATE_VERSION: 'v2' }).topics.itemActivity).toBe('repartition.item-activity.v1.v2');
    expect(loadFeaturesConfig({ STREAMREC_FEATURES_STATE_VERSION: 'v2', STREAMREC_FEATURES_TOPICS: '{"itemActivity":"mine"}' }).topics.itemActivity).toBe('mine');
  });
});
