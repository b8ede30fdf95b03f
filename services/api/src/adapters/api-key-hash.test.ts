import { describe, expect, it } from 'vitest';
import { parsePresentedKey } from '../domain/auth/api-keys.js';
import { generateApiKey, generateSecret, nodeSecretHasher, sha256Hex } from './api-key-hash.js';

describe('api key hashing', () => {
  it('sha256Hex matches the published sha256 of "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('a generated key parses back to its id and a 43-character secret whose hash is the stored one', () => {
    const generated = generateApiKey('storefront');
    const parsed = parsePresentedKey(generated.key);
    expect(parsed?.id).toBe('storefront');
    expect(parsed?.secret).toHaveLength(43);
    expect(sha256Hex(parsed?.secret ?? '')).toBe(generated.sha256);
  });

  it('secrets do not repeat', () => {
    const secrets = new Set(Array.from({ length: 1_000 }, () => generateSecret()));
    expect(secrets.size).toBe(1_000);
  });

  it('equalDigests is true only for identical digests, false for a length mismatch instead of throwing', () => {
    const digest = sha256Hex('x');
    expect(nodeSecretHasher.equalDigests(digest, sha256Hex('x'))).toBe(true);
    expect(nodeSecretHasher.equalDigests(digest, sha256Hex('y'))).toBe(false);
    expect(nodeSecretHasher.equalDigests(digest, digest.slice(1))).toBe(false);
  });
});
