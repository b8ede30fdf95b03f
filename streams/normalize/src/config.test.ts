import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { loadNormalizeConfig } from './config.js';

/** The pseudonym key every environment has (npm run setup writes it into .stack/secrets.env). */
const secret = { STREAMREC_VISITOR_PSEUDONYM_KEY: 'k'.repeat(40) };

describe('normalize config', () => {
  it('defaults to state v1, a replay from the beginning and metrics on 19101', () => {
    const config = loadNormalizeConfig({ ...secret, });
    expect(config).toMatchObject({ stateVersion: 'v1', fromBeginning: true, metrics: { port: 19101 }, groupId: 'streamrec-normalize' });
    expect(config.settings.parkingCapacity).toBe(100_000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes domain settings from the environment', () => {
    const config = loadNormalizeConfig({ ...secret,  STREAMREC_NORMALIZE_PARKING_CAPACITY: '500', STREAMREC_NORMALIZE_FAVORITE_SOURCE: 'matomo', STREAMREC_NORMALIZE_FROM_BEGINNING: 'false' });
    expect(config.settings).toMatchObject({ parkingCapacity: 500, favoriteSource: 'matomo' });
    expect(config.fromBeginning).toBe(false);
  });

  it('lists every invalid variable in one REC_CONFIG_INVALID error', () => {
    let error: unknown;
    try {
      loadNormalizeConfig({ ...secret,  STREAMREC_NORMALIZE_STATE_VERSION: 'version1', STREAMREC_NORMALIZE_METRICS_PORT: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: ErrorCode.ConfigInvalid });
    const message = (error as Error).message;
    expect(message).toContain('STREAMREC_NORMALIZE_STATE_VERSION');
    expect(message).toContain('STREAMREC_NORMALIZE_METRICS_PORT');
  });

  it('reads STREAMREC_NORMALIZE_START_AT as a point in time and rejects anything else', () => {
    expect(loadNormalizeConfig({ ...secret,  STREAMREC_NORMALIZE_START_AT: '2026-03-01T00:00:00Z' }).startAt).toBe(Date.UTC(2026, 2, 1));
    expect(loadNormalizeConfig({ ...secret, }).startAt).toBeUndefined();
    expect(() => loadNormalizeConfig({ ...secret,  STREAMREC_NORMALIZE_START_AT: 'soon' })).toThrow(/STREAMREC_NORMALIZE_START_AT/);
  });

  it('bounds the cache of each lazily loaded state store at 100,000 entries unless told otherwise, and refuses 0', () => {
    expect(loadNormalizeConfig({ ...secret, }).stateCacheCapacity).toBe(100_000);
    expect(loadNormalizeConfig({ ...secret,  STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY: '10' }).stateCacheCapacity).toBe(10);
    expect(() => loadNormalizeConfig({ ...secret,  STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY: '0' })).toThrow(/STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY/);
  });

  it('needs the visitor pseudonym key: a short one is refused, naming the variable', () => {
    expect(loadNormalizeConfig(secret).visitorPseudonymKey).toBe('k'.repeat(40));
    expect(() => loadNormalizeConfig({ STREAMREC_VISITOR_PSEUDONYM_KEY: 'short' })).toThrow(/STREAMREC_VISITOR_PSEUDONYM_KEY/);
  });
});
