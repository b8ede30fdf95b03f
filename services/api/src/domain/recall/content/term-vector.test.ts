import { describe, expect, it } from 'vitest';
import { contentHashOf, FieldWeight, hashTerm, termVectorOf } from './term-vector.js';

function countOf(vector: ReturnType<typeof termVectorOf>, term: string): number | undefined {
  const at = vector.terms.indexOf(hashTerm(term));
  return at < 0 ? undefined : vector.counts[at];
}

describe('hashTerm', () => {
  it('is 32-bit FNV-1a, so saved term vectors stay valid across releases', () => {
    expect(hashTerm('')).toBe(0x811c9dc5);
    expect(hashTerm('a')).toBe(0xe40c292c);
    expect(hashTerm('上海')).not.toBe(hashTerm('海上'));
  });
});

describe('termVectorOf', () => {
  it('sums field-weighted occurrences per distinct term, terms ascending', () => {
    const vector = termVectorOf({ title: 'Retail sales', description: 'sales of retail stores, retail', tags: ['retail'] });
    expect(countOf(vector, 'retail')).toBe(FieldWeight.title + 2 * FieldWeight.description + FieldWeight.tags);
    expect(countOf(vector, 'sale')).toBe(FieldWeight.title + FieldWeight.description);
    expect(countOf(vector, 'store')).toBe(FieldWeight.description);
    expect(Array.from(vector.terms)).toEqual(Array.from(vector.terms).sort((a, b) => a - b));
    expect(new Set(vector.terms).size).toBe(vector.terms.length);
  });

  it('weighs a tag above the same word in the description', () => {
    const vector = termVectorOf({ title: '', description: 'weather', tags: ['satellite'] });
    expect(countOf(vector, 'satellite')).toBeGreaterThan(countOf(vector, 'weather') ?? Infinity);
  });

  it('is empty for a document without words', () => {
    expect(termVectorOf({ title: '—', description: '', tags: [] }).terms).toHaveLength(0);
  });
});

describe('contentHashOf', () => {
  it('changes with any text field and keeps tag boundaries', () => {
    const base = { title: 'A', description: 'B', tags: ['x y'] };
    expect(contentHashOf(base)).toBe(contentHashOf({ ...base, tags: ['x y'] }));
    expect(contentHashOf(base)).not.toBe(contentHashOf({ ...base, tags: ['x', 'y'] }));
    expect(contentHashOf(base)).not.toBe(contentHashOf({ ...base, description: 'B.' }));
    expect(contentHashOf(base)).not.toBe(contentHashOf({ ...base, title: 'a' }));
    expect(contentHashOf(base)).toMatch(/^[0-9a-f]{14}$/);
  });
});
