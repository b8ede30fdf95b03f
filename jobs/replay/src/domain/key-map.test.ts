import { describe, expect, it } from 'vitest';
import { isOffsetsKey, keyFamily, keyInVersion, unversionedKey, versionOf } from './key-map.js';

describe('state keys across versions', () => {
  it('maps a key of one version onto the same key of another', () => {
    const key = 'sr:v12:{p3}:user:u:1:counts';
    expect(versionOf(key)).toBe('v12');
    expect(unversionedKey(key)).toBe('{p3}:user:u:1:counts');
    expect(keyInVersion('v13', unversionedKey(key) ?? '')).toBe('sr:v13:{p3}:user:u:1:counts');
    expect(unversionedKey('sr:active-version')).toBeUndefined();
  });

  it('groups keys into families by entity and facet, whatever the id', () => {
    expect(keyFamily('{p3}:user:u:1:counts')).toBe('user:counts');
    expect(keyFamily('{p0}:item:42:users')).toBe('item:users');
    expect(keyFamily('{p0}:seen:20260301:features-user')).toBe('seen:features-user');
    expect(keyFamily('{p5}:offsets')).toBe('offsets');
    expect(keyFamily('{normalize}:actions')).toBe('normalize:actions');
    expect(keyFamily('{p2}:trending:global:hour-5985493')).toBe('trending:hour-#');
  });

  it('recognises the offsets hashes, compared apart from state', () => {
    expect(isOffsetsKey('{p5}:offsets')).toBe(true);
    expect(isOffsetsKey('{normalize}:offsets')).toBe(true);
    expect(isOffsetsKey('{p5}:item:offsets:meta')).toBe(false);
  });
});
