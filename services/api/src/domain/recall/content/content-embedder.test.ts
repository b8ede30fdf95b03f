import { describe, expect, it } from 'vitest';
import { embedTerms, weightedCentroid } from './content-embedder.js';
import { DocumentFrequencies } from './document-frequencies.js';
import { createRandomProjection } from './random-projection.js';
import { termVectorOf, type ContentDocument } from './term-vector.js';

const projection = createRandomProjection(256, 1);
const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((sum, value, i) => sum + value * (b[i] as number), 0);

function embedAll(documents: readonly ContentDocument[]): Float32Array[] {
  const frequencies = new DocumentFrequencies();
  const vectors = documents.map(termVectorOf);
  for (const vector of vectors) frequencies.add(vector);
  return vectors.map((vector) => {
    const dense = embedTerms(vector, frequencies, projection);
    if (dense === undefined) throw new TypeError('expected a vector');
    return dense;
  });
}

describe('embedTerms', () => {
  it('returns unit vectors, undefined for a document without terms', () => {
    const [vector] = embedAll([{ title: 'retail sales', description: '', tags: [] }]);
    expect(cosine(vector as Float32Array, vector as Float32Array)).toBeCloseTo(1, 5);
    expect(embedTerms(termVectorOf({ title: '', description: '', tags: [] }), new DocumentFrequencies(), projection)).toBeUndefined();
  });

  it('makes a shared rare term count for more than a shared common one', () => {
    const [query, rare, common] = embedAll([
      { title: 'dataset lithium mining', description: '', tags: [] },
      { title: 'lithium prices', description: '', tags: [] },
      { title: 'dataset prices', description: '', tags: [] },
      { title: 'dataset weather', description: '', tags: [] },
      { title: 'dataset traffic', description: '', tags: [] },
    ]) as [Float32Array, Float32Array, Float32Array];
    expect(cosine(query, rare)).toBeGreaterThan(cosine(query, common));
  });
});

describe('weightedCentroid', () => {
  it('leans towards the heavier seed and skips non-positive weights', () => {
    const a = Float32Array.from([1, 0]);
    const b = Float32Array.from([0, 1]);
    const leaning = weightedCentroid([{ vector: a, weight: 3 }, { vector: b, weight: 1 }], 2) as Float32Array;
    expect(leaning[0]).toBeGreaterThan(leaning[1] as number);
    expect(weightedCentroid([{ vector: a, weight: 0 }, { vector: b, weight: -1 }], 2)).toBeUndefined();
    expect(Array.from(weightedCentroid([{ vector: a, weight: -1 }, { vector: b, weight: 2 }], 2) as Float32Array)).toEqual([0, 1]);
  });
});
