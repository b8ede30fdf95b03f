import { describe, expect, it } from 'vitest';
import { comparableString, matchEntries, withinRounding } from './comparable-value.js';

describe('comparing values across versions', () => {
  it('ignores the cardinality cache of a HyperLogLog and nothing else', () => {
    const hll = Uint8Array.from([0x48, 0x59, 0x4c, 0x4c, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...comparableString(hll)]).toEqual([0x48, 0x59, 0x4c, 0x4c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
    expect([...comparableString(Uint8Array.from([1, 2]))]).toEqual([1, 2]);
  });

  it('tells float rounding from a real difference', () => {
    // The same three increments added in two orders differ in the last bit.
    const [x, y, z] = [0.1, 0.2, 0.3];
    expect((x + y) + z).not.toBe(x + (y + z));
    expect(withinRounding((x + y) + z, x + (y + z))).toBe(true);
    expect(withinRounding(1, 1.000001)).toBe(false);
    expect(withinRounding(Number.NaN, Number.NaN)).toBe(false);
  });

  it('matches hash fields and zset members as equal, within rounding, or different', () => {
    const entries = (pairs: [string, string][]): Map<string, string> => new Map(pairs);
    expect(matchEntries(entries([['a', '1'], ['b', '2']]), entries([['b', '2'], ['a', '1']]))).toBe('equal');
    expect(matchEntries(entries([['a', String(0.1 + 0.2 + 0.3)]]), entries([['a', String(0.1 + (0.2 + 0.3))]]))).toBe('rounding');
    expect(matchEntries(entries([['a', '1']]), entries([['a', '2']]))).toBe('different');
    expect(matchEntries(entries([['a', '1']]), entries([['b', '1']]))).toBe('different');
    expect(matchEntries(entries([['a', '1']]), entries([['a', '1'], ['b', '1']]))).toBe('different');
    expect(matchEntries(entries([['a', 'x']]), entries([['a', 'y']]))).toBe('different');
    expect(matchEntries(entries([['a', '']]), entries([['a', '0']]))).toBe('different');
  });
});
