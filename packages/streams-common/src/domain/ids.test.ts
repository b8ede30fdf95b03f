import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { seededRandom } from '../testing/random.js';
import { itemIdOf } from './ids.js';

/** The rule as it was written first: canonical decimal text of a non-negative safe integer. */
const accepted = (text: string): boolean => /^(0|[1-9]\d{0,15})$/.test(text) && Number.isSafeInteger(Number(text));

function refused(value: number | string): boolean {
  try {
    itemIdOf(value);
    return false;
  } catch (error) {
    return isAppError(error, ErrorCode.PayloadInvalid);
  }
}

describe('itemIdOf', () => {
  it.each([
    ['0', true],
    ['7', true],
    ['9007199254740991', true],
    ['9007199254740992', false],
    ['9999999999999999', false],
    ['1000000000000000', true],
    ['10000000000000000', false],
    ['', false],
    ['00', false],
    ['07', false],
    ['-1', false],
    ['+1', false],
    ['1.0', false],
    ['1e3', false],
    [' 1', false],
    ['1\n', false],
    ['١٢', false],
  ])('text %j is an item id: %s', (text, valid) => {
    expect(refused(text)).toBe(!valid);
    if (valid) expect(itemIdOf(text)).toBe(text);
  });

  it('takes a non-negative safe integer as its decimal text and refuses other numbers', () => {
    expect(itemIdOf(42)).toBe('42');
    expect(itemIdOf(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    for (const value of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Infinity]) expect(refused(value)).toBe(true);
  });

  it('agrees with the regular expression and the safe-integer check on 20,000 random near-misses', () => {
    const random = seededRandom(20261207);
    const alphabet = '0123456789012345678901234567890123456789-+. ex9';
    for (let n = 0; n < 20_000; n += 1) {
      const length = Math.floor(random() * 18);
      let text = '';
      for (let index = 0; index < length; index += 1) text += alphabet[Math.floor(random() * alphabet.length)];
      if (random() < 0.2) text = String(Math.floor(random() * 2 ** 54));
      expect(refused(text), text).toBe(!accepted(text));
    }
  });
});
