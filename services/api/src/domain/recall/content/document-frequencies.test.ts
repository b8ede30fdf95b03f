import { describe, expect, it } from 'vitest';
import { DocumentFrequencies, idfDrifted } from './document-frequencies.js';
import type { TermVector } from './term-vector.js';

const doc = (...terms: number[]): TermVector => ({ terms: Uint32Array.from(terms), counts: new Float32Array(terms.length).fill(1) });

describe('DocumentFrequencies', () => {
  it('counts documents per term and weighs rare terms above common ones', () => {
    const frequencies = new DocumentFrequencies();
    frequencies.add(doc(1, 2));
    frequencies.add(doc(1, 3));
    frequencies.add(doc(1));
    expect(frequencies.documentCount).toBe(3);
    expect(frequencies.frequency(1)).toBe(3);
    expect(frequencies.idf(2)).toBeGreaterThan(frequencies.idf(1));
    expect(frequencies.idf(1)).toBeCloseTo(1, 10);
    expect(frequencies.idf(99)).toBeCloseTo(Math.log(4) + 1, 10);
  });

  it('returns to the previous state when a document is removed', () => {
    const frequencies = new DocumentFrequencies();
    frequencies.add(doc(1, 2));
    const before = frequencies.idf(1);
    frequencies.add(doc(1, 3));
    frequencies.remove(doc(1, 3));
    expect(frequencies.idf(1)).toBe(before);
    expect(frequencies.frequency(3)).toBe(0);
    expect(frequencies.vocabularySize).toBe(2);
  });
});

describe('idfDrifted', () => {
  it('fires once the document count moved by more than the fraction, either way', () => {
    expect(idfDrifted(0, 0, 0.2)).toBe(false);
    expect(idfDrifted(0, 1, 0.2)).toBe(true);
    expect(idfDrifted(100, 120, 0.2)).toBe(false);
    expect(idfDrifted(100, 121, 0.2)).toBe(true);
    expect(idfDrifted(100, 79, 0.2)).toBe(true);
  });
});
