import { describe, expect, it } from 'vitest';
import { crc32, fnv1a32, toHex } from './hash.js';

describe('crc32', () => {
  // Reference values from MariaDB: SELECT CRC32('...') — what Matomo stores in log_action.hash.
  it.each([
    ['MySQL', 3259397556],
    ['market.example.com/datasets/42', 3165481107],
    ['A股日线行情 2015-2024', 3222033820],
    ['DS-42', 4051820060],
    ['dataset', 3080733136],
    ['add_to_cart', 3732483034],
  ])('crc32(%j) equals MariaDB CRC32() = %d', (text, expected) => {
    expect(crc32(text)).toBe(expected);
  });
});

describe('fnv1a32 / toHex', () => {
  it('is stable and spreads nearby strings', () => {
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('user-1')).not.toBe(fnv1a32('user-2'));
  });

  it('renders bytes as lower-case hex', () => {
    expect(toHex(Uint8Array.of(0, 15, 255))).toBe('000fff');
  });
});
