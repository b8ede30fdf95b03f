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
    // A valid part seen before does not make a bad one pass.
    ownedKey(parseStateVersion('v2'), 6, 'user', '1', 'counts');
    expect(() => ownedKey(parseStateVersion('v2'), 6, 'user', '1', 'Counts')).toThrow(/bad key part/);
    expect(() => ownedKey(parseStateVersion('v2'), 6, 'user', '1', 'counts:x')).toThrow(/bad key part/);
  });

  it('hashes each id to its own partition, whatever the order ids and partition counts come in', () => {
    const version = parseStateVersion('v1');
    const ids = ['42', '42', '7', 'anon:ab12', '42', '7', '7', 'é-ü'];
    for (const partitions of [6, 6, 12, 1, 6]) {
      for (const id of ids) expect(ownedKey(version, partitions, 'item', id, 'meta')).toBe(`sr:v1:{p${partitionForKey(id, partitions)}}:item:${id}:meta`);
    }
  });
});
