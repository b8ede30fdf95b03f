import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyedVisitorPseudonym } from './keyed-visitor-pseudonym.js';

describe('keyedVisitorPseudonym', () => {
  const key = 'k'.repeat(40);

  it('is HMAC-SHA256 of the 8 id bytes, first 8 bytes in hex: a valid visitor id, stable for one key', () => {
    const pseudonym = keyedVisitorPseudonym(key)('a1b2c3d4e5f60718');
    expect(pseudonym).toBe(createHmac('sha256', key).update(Buffer.from('a1b2c3d4e5f60718', 'hex')).digest('hex').slice(0, 16));
    expect(pseudonym).toMatch(/^[0-9a-f]{16}$/);
    expect(pseudonym).not.toBe('a1b2c3d4e5f60718');
    expect(keyedVisitorPseudonym(key)('a1b2c3d4e5f60718')).toBe(pseudonym);
  });

  it('differs per key and per visitor', () => {
    const other = keyedVisitorPseudonym('o'.repeat(40));
    expect(other('a1b2c3d4e5f60718')).not.toBe(keyedVisitorPseudonym(key)('a1b2c3d4e5f60718'));
    const ids = Array.from({ length: 10_000 }, (_, index) => index.toString(16).padStart(16, '0'));
    expect(new Set(ids.map(keyedVisitorPseudonym(key))).size).toBe(ids.length);
  });
});
