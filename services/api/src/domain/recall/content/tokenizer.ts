/**
 * Tokenisation of catalogue text for content recall. Titles mix English and Chinese (and the odd
 * Japanese or Korean name), so word boundaries come from ICU (`Intl.Segmenter`), which has
 * dictionaries for scripts written without spaces.
 */

/** Runs of scripts written without spaces between words (Han, kana, Hangul); U+30FC, the kana length mark, is script Common but part of katakana words. */
const cjkRun = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]+/gu;
const cjkChar = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;
/** A token worth keeping has at least one letter or digit; the segmenter's punctuation and symbols have none. */
const letterOrDigit = /[\p{L}\p{N}]/u;

/**
 * English function words: they appear in nearly every description, so even after IDF they add noise
 * to short titles. Kept short on purpose: IDF already discounts the common domain words.
 */
const stopWords: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'has', 'in', 'into', 'is', 'it',
  'its', 'of', 'on', 'or', 'per', 'that', 'the', 'this', 'to', 'was', 'were', 'with',
]);

// One segmenter per process: constructing one loads ICU break iterators, which costs more than segmenting a title.
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * Folds the commonest English plural endings so "store" matches "stores" and "category" matches
 * "categories". Deliberately crude (no stemmer dependency): every text goes through the same folding,
 * so an odd stem ("analysi") still matches itself; words ending in -ss/-us/-is are left alone.
 */
export function foldPlural(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Lower-cases and NFKC-normalises, so full-width "ＡＢＣ" and ligatures compare equal to their plain forms. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Character bigrams of every CJK run. A segmenter's dictionary splits "二手房" and "房地产"
 * differently from how a user would, and short Chinese titles share few whole words; overlapping
 * bigrams still match ("上海" and "成交" in "上海房地产成交数据" vs "上海二手房成交记录"). A run of one
 * character yields that character.
 */
export function cjkBigrams(normalised: string): string[] {
  const grams: string[] = [];
  for (const match of normalised.matchAll(cjkRun)) {
    const chars = Array.from(match[0]);
    if (chars.length === 1) {
      grams.push(chars[0] as string);
      continue;
    }
    for (let i = 0; i + 1 < chars.length; i += 1) grams.push(`${chars[i] as string}${chars[i + 1] as string}`);
  }
  return grams;
}

/**
 * The terms of a text, in order, with repeats (term frequency counts them): the segmenter's words,
 * minus punctuation, minus Latin-script tokens of one character and stop words; plus the CJK bigrams.
 */
export function tokenize(text: string): string[] {
  const normalised = normaliseText(text);
  const terms: string[] = [];
  for (const { segment, isWordLike } of wordSegmenter.segment(normalised)) {
    if (isWordLike !== true || !letterOrDigit.test(segment)) continue;
    if (cjkChar.test(segment)) {
      terms.push(segment);
      continue;
    }
    if (Array.from(segment).length < 2 || stopWords.has(segment)) continue;
    terms.push(foldPlural(segment));
  }
  for (const gram of cjkBigrams(normalised)) terms.push(gram);
  return terms;
}
