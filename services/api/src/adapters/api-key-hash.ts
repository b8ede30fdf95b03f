import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { formatApiKey, type SecretHasher } from '../domain/auth/api-keys.js';

/** node:crypto behind the domain's SecretHasher port. */
export const nodeSecretHasher: SecretHasher = {
  sha256Hex: (secret) => sha256Hex(secret),
  equalDigests(expectedHex, actualHex) {
    const expected = Buffer.from(expectedHex, 'utf8');
    const actual = Buffer.from(actualHex, 'utf8');
    // timingSafeEqual throws on a length mismatch; digests of one algorithm never differ in length.
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  },
};

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const SECRET_BYTES = 32;

/** 32 random bytes, base64url without padding: the 43 characters formatApiKey expects. */
export function generateSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export interface GeneratedApiKey {
  /** Shown once to the operator; never stored. */
  readonly key: string;
  /** What api-keys.yaml stores. */
  readonly sha256: string;
}

export function generateApiKey(id: string): GeneratedApiKey {
  const secret = generateSecret();
  return { key: formatApiKey(id, secret), sha256: sha256Hex(secret) };
}
