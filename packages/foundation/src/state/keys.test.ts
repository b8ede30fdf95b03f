import { describe, expect, it } from 'vitest';
import { partitionForKey } from './murmur2.js';
import { offsetsKey, ownedKey, parseStateVersion } from './keys.js';

describe('state keys', () => {
  it('puts a partition\u2019s offsets and the state it owns under one hash tag', () => {
    const version = parseStateVersion('v1');
    const partition = partitionForKey('42', 6);
    expect(ownedKey(version, 6, 'user', '42', 'counts')).toBe(`sr:v1:{p${partition}}:user:42:counts`);
    expect(offsetsKey(version, partition)).toBe(`sr:v1:{p${partition}}:offsets`);
  });

  it('rejects malformed versions and key parts', () => {
    expect(() => parseStateVersion('1')).toThrow(/v1, v2/);
    expect(() => parseStateVersion('v0')).toThrow();
    expect(() => ownedKey(parseStateVersion('v2'), 6, 'User', '1', 'x')).toThrow(/bad key part/);
  });
});
