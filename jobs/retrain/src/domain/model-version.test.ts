import { describe, expect, it } from 'vitest';
import { checkModelName, modelVersion, runId, utcStamp } from './model-version.js';

const sha = '3f2a1c9d' + '0'.repeat(56);

describe('versions and run ids', () => {
  it('names a version <name>-<UTC timestamp>-<short sha>', () => {
    expect(utcStamp(Date.UTC(2026, 11, 5, 1, 30, 0, 123))).toBe('20261205T013000Z');
    expect(modelVersion('ranker', Date.UTC(2026, 11, 5, 1, 30, 0), sha)).toBe('ranker-20261205T013000Z-3f2a1c9d');
  });

  it('sorts versions of one name by time as text', () => {
    const versions = [Date.UTC(2026, 0, 2), Date.UTC(2025, 11, 31, 23), Date.UTC(2026, 0, 1, 12)].map((ms) => modelVersion('ranker', ms, sha));
    expect([...versions].sort()).toEqual([versions[1], versions[2], versions[0]]);
  });

  it('names runs by start time and random hex', () => {
    expect(runId(Date.UTC(2026, 11, 5), 'a1b2c3d4')).toBe('20261205T000000Z-a1b2c3d4');
    expect(() => runId(0, 'xyz')).toThrow(/8 hex digits/);
  });

  it('refuses model names that would not make a clean key or version, and bad digests', () => {
    expect(checkModelName('test-retrain_1')).toBe('test-retrain_1');
    for (const bad of ['Ranker', '1ranker', 'rank er', 'a:b', '', 'x'.repeat(65)]) expect(() => checkModelName(bad)).toThrow(/model name/);
    expect(() => modelVersion('ranker', 0, 'abc')).toThrow(/not a sha256/);
  });
});
