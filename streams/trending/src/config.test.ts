import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { loadTrendingConfig } from './config.js';

describe('trending config', () => {
  it('defaults to the local stack, state v1, earliest and metrics port 19104', () => {
    const config = loadTrendingConfig({});
    expect(config.stateVersion).toBe('v1');
    expect(config.startFrom).toBe('earliest');
    expect(config.metrics.port).toBe(19_104);
    expect(config.params.windows.hour.buckets).toBe(12);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fails fast listing every bad setting', () => {
    try {
      loadTrendingConfig({ STREAMREC_TRENDING_STATE_VERSION: 'live', STREAMREC_TRENDING_START_FROM: 'middle', STREAMREC_TRENDING_METRICS_PORT: 'x' });
      expect.unreachable('should throw');
    } catch (error) {
      expect(isAppError(error, ErrorCode.ConfigInvalid)).toBe(true);
      const violations = (error as { details: { violations: string[] } }).details.violations;
      expect(violations.map((violation) => violation.split(':')[0])).toEqual(expect.arrayContaining(['stateVersion', 'startFrom', 'metrics.port']));
    }
  });

  it('rejects params that are not JSON', () => {
    expect(() => loadTrendingConfig({ STREAMREC_TRENDING_PARAMS: '{' })).toThrow(expect.objectContaining({ code: ErrorCode.ConfigInvalid }) as Error);
  });
});
