import { describe, expect, it } from 'vitest';
import { createRandomProjection, normaliseInPlace } from './random-projection.js';

function rowOf(dimensions: number, seed: number, term: number): Float32Array {
  const row = new Float32Array(dimensions);
  createRandomProjection(dimensions, seed).accumulate(term, 1, row);
  return row;
}

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, value, i) => sum + value * (b[i] as number), 0);

describe('createRandomProjection', () => {
  it('gives a term the same row for the same seed and another row for another seed', () => {
    expect(rowOf(256, 7, 12345)).toEqual(rowOf(256, 7, 12345));
    expect(rowOf(256, 7, 12345)).not.toEqual(rowOf(256, 8, 12345));
  });

  it('draws +1, −1 and 0 in about 1:1:4 proportions', () => {
    let positive = 0;
    let negative = 0;
    let cells = 0;
    for (let term = 0; term < 200; term += 1) {
      for (const value of rowOf(256, 1, term * 2654435761)) {
        if (value === 1) positive += 1;
        else if (value === -1) negative += 1;
        else expect(value).toBe(0);
        cells += 1;
      }
    }
    expect(positive / cells).toBeCloseTo(1 / 6, 1);
    expect(negative / cells).toBeCloseTo(1 / 6, 1);
  });

  it('keeps distinct terms nearly orthogonal', () => {
    let worst = 0;
    for (let term = 1; term < 50; term += 1) {
      const a = rowOf(256, 1, term);
      const b = rowOf(256, 1, term + 1000);
      normaliseInPlace(a);
      normaliseInPlace(b);
      worst = Math.max(worst, Math.abs(dot(a, b)));
    }
    expect(worst).toBeLessThan(0.35);
  });
});

describe('normaliseInPlace', () => {
  it('scales to unit length and reports a zero vector', () => {
    const vector = Float32Array.from([3, 4]);
    expect(normaliseInPlace(vector)).toBe(true);
    expect(Array.from(vector)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(normaliseInPlace(new Float32Array(3))).toBe(false);
  });
});
