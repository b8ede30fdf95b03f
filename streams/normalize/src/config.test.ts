import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { loadNormalizeConfig } from './config.js';

describe('normalize config', () => {
  it('defaults to state v1, a replay from the beginning and metrics on 19101', () => {
    const config = loadNormalizeConfig({});
    expect(config).toMatchObject({ stateVersion: 'v1', fromBeginning: true, metrics: { port: 19101 }, groupId: 'streamrec-normalize' });
    expect(config.settings.parkingCapacity).toBe(100_000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes domain settings from the environment', () => {
    const config = loadNormalizeConfig({ STREAMREC_NORMALIZE_PARKING_CAPACITY: '500', STREAMREC_NORMALIZE_FAVORITE_SOURCE: 'matomo', STREAMREC_NORMALIZE_FROM_BEGINNING: 'false' });
    expect(config.settings).toMatchObject({ parkingCapacity: 500, favoriteSource: 'matomo' });
    expect(config.fromBeginning).toBe(false);
  });

  it('lists every invalid variable in one REC_CONFIG_INVALID error', () => {
    let error: unknown;
    try {
      loadNormalizeConfig({ STREAMREC_NORMALIZE_STATE_VERSION: 'version1', STREAMREC_NORMALIZE_METRICS_PORT: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: ErrorCode.ConfigInvalid });
    const message = (error as Error).message;
    expect(message).toContain('STREAMREC_NORMALIZE_STATE_VERSION');
    expect(message).toContain('STREAMREC_NORMALIZE_METRICS_PORT');
  });

  it('reads STREAMREC_NORMALIZE_START_AT as a point in time and rejects anything else', () => {
    expect(loadNormalizeConfig({ STREAMREC_NORMALIZE_START_AT: '2026-03-01T00:00:00Z' }).startAt).toBe(Date.UTC(2026, 2, 1));
    expect(loadNormalizeConfig({}).startAt).toBeUndefined();
    expect(() => loadNormalizeConfig({ STREAMREC_NORMALIZE_START_AT: 'soon' })).toThrow(/STREAMREC_NORMALIZE_START_AT/);
  });

  it('bounds the cache of each lazily loaded state store at 100,000 entries unless told otherwise, and refuses 0', () => {
    expect(loadNormalizeConfig({}).stateCacheCapacity).toBe(100_000);
    expect(loadNormalizeConfig({ STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY: '10' }).stateCacheCapacity).toBe(10);
    expect(() => loadNormalizeConfig({ STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY: '0' })).toThrow(/STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY/);
  });
});
