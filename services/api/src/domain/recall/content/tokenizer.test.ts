import { describe, expect, it } from 'vitest';
import { cjkBigrams, foldPlural, tokenize } from './tokenizer.js';

describe('tokenize', () => {
  it('lower-cases, NFKC-normalises and drops punctuation, one-letter Latin tokens and stop words', () => {
    expect(tokenize('The ＲＥＴＡＩＬ Sales of a store, 2024 — U (EU)!')).toEqual(['retail', 'sale', 'store', '2024', 'eu']);
  });

  it('splits Chinese into dictionary words and adds the character bigrams of the run', () => {
    const terms = tokenize('上海房地产成交数据');
    expect(terms).toEqual(expect.arrayContaining(['上海', '房地产', '成交', '数据']));
    expect(terms).toEqual(expect.arrayContaining(['海房', '房地', '地产', '产成', '交数']));
  });

  it('keeps a one-character Chinese word, unlike a one-letter Latin token', () => {
    expect(tokenize('房 x')).toEqual(['房', '房']);
  });

  it('handles mixed scripts in one title', () => {
    const terms = tokenize('Shanghai 房价 index');
    expect(terms).toEqual(expect.arrayContaining(['shanghai', 'index', '房价']));
    expect(terms).not.toContain('价i');
  });
});

describe('cjkBigrams', () => {
  it('does not join characters across a gap between runs', () => {
    expect(cjkBigrams('北京 空气')).toEqual(['北京', '空气']);
    expect(cjkBigrams('数据。记录')).toEqual(['数据', '记录']);
    expect(cjkBigrams('東京のデータ')).toEqual(['東京', '京の', 'のデ', 'デー', 'ータ']);
  });
});

describe('foldPlural', () => {
  it.each([
    ['stores', 'store'],
    ['categories', 'category'],
    ['transactions', 'transaction'],
    ['business', 'business'],
    ['census', 'census'],
    ['analysis', 'analysis'],
    ['gas', 'gas'],
    ['2020s', '2020s'],
  ])('%s → %s', (word, folded) => {
    expect(foldPlural(word)).toBe(folded);
  });
});
