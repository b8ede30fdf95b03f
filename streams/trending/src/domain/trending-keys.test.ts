import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { itemScopes, scopeId } from './trending-keys.js';
import { bucketOf, defaultTrendingParams, parseTrendingParams } from './trending-params.js';
import { DAY, HOUR, MINUTE } from './test-fixtures.js';

describe('trending scopes, buckets and params', () => {
  it('names scopes in a key-safe way and lists each once', () => {
    expect(itemScopes(' Finance ', ['stock', '', 'open data', 'stock']).map(scopeId)).toEqual(['global', 'industry=finance', 'tag=stock', 'tag=open%20data']);
    expect(itemScopes(null, []).map(scopeId)).toEqual(['global']);
  });

  it('buckets event time per window: 5 minutes, 1 hour, 1 day by default', () => {
    const { hour, day, week } = defaultTrendingParams.windows;
    expect([hour.bucketMs, day.bucketMs, week.bucketMs]).toEqual([5 * MINUTE, HOUR, DAY]);
    expect([hour.buckets, day.buckets, week.buckets]).toEqual([12, 24, 7]);
    expect(bucketOf(10 * MINUTE - 1, hour)).toBe(1);
    expect(bucketOf(10 * MINUTE, hour)).toBe(2);
  });

  it('rejects a bad window with its path', () => {
    let caught: unknown;
    try {
      parseTrendingParams({ windows: { hour: { buckets: 0 } } });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, ErrorCode.ConfigInvalid) && caught.message).toMatch(/windows\.hour\.buckets/);
  });
});
