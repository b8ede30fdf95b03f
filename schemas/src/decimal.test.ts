import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import {
  decimalFromString,
  decimalToNumber,
  decimalToString,
  decodeTwosComplement,
  encodeTwosComplement,
} from './decimal.js';

describe('two\'s-complement big-endian bytes (the Avro decimal encoding)', () => {
  // Same bytes as Java's BigInteger.toByteArray, which the Java Avro decimal conversion writes.
  it.each([
    [0n, '00'],
    [1n, '01'],
    [127n, '7f'],
    [128n, '0080'],
    [255n, '00ff'],
    [-1n, 'ff'],
    [-128n, '80'],
    [-129n, 'ff7f'],
    [14_990n, '3a8e'],
    [999_999_999_999n, '00e8d4a50fff'],
  ])('%s ⇄ %s', (value, hex) => {
    expect(encodeTwosComplement(value).toString('hex')).toBe(hex);
    expect(decodeTwosComplement(Buffer.from(hex, 'hex'))).toBe(value);
  });

  it('rejects empty bytes', () => {
    expect(() => decodeTwosComplement(Buffer.alloc(0))).toThrow(/at least one byte/);
  });
});

describe('decimal(12,2) money', () => {
  it.each([
    ['149.90', '149.90'],
    ['149.9', '149.90'],
    ['0', '0.00'],
    ['-0.01', '-0.01'],
    ['+7', '7.00'],
    ['0012.500', '12.50'],
    ['9999999999.99', '9999999999.99'],
  ])('%s round-trips as %s', (text, expected) => {
    expect(decimalToString(decimalFromString(text))).toBe(expected);
  });

  it('converts to a number for features', () => {
    expect(decimalToNumber(decimalFromString('149.90'))).toBe(149.9);
    expect(decimalToNumber(decimalFromString('-3.05'))).toBe(-3.05);
  });

  it.each([
    ['1.005', /fraction digits/],
    ['10000000000.00', /does not fit/],
    ['12,50', /not a decimal/],
    ['1e3', /not a decimal/],
    ['', /not a decimal/],
  ])('rejects %j with REC_INVALID_ARGUMENT', (text, message) => {
    expect(() => decimalFromString(text)).toThrow(message);
    try {
      decimalFromString(text);
    } catch (error) {
      expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
    }
  });

  it('honours another scale', () => {
    const spec = { precision: 5, scale: 0 };
    expect(decimalToString(decimalFromString('12345', spec), spec)).toBe('12345');
    expect(() => decimalFromString('123456', spec)).toThrow(/does not fit/);
  });
});
