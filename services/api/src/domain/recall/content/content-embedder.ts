import type { DocumentFrequencies } from './document-frequencies.js';
import { normaliseInPlace, type RandomProjection } from './random-projection.js';
import type { TermVector } from './term-vector.js';

/**
 * TF-IDF of a document's terms, projected to the dense space and L2-normalised, so cosine distance
 * in the vector index is cosine similarity of the TF-IDF vectors (up to projection error).
 * Sublinear TF (1 + ln tf): a word repeated ten times in a description is more telling than one
 * said once, but not ten times more. Undefined when the document has no terms: a zero vector has no
 * direction, and indexing it would make it equally (dis)similar to everything.
 */
export function embedTerms(vector: TermVector, frequencies: DocumentFrequencies, projection: RandomProjection): Float32Array | undefined {
  if (vector.terms.length === 0) return undefined;
  const dense = new Float32Array(projection.dimensions);
  for (let i = 0; i < vector.terms.length; i += 1) {
    const term = vector.terms[i] as number;
    const count = vector.counts[i] as number;
    const weight = (1 + Math.log(count)) * frequencies.idf(term);
    projection.accumulate(term, weight, dense);
  }
  return normaliseInPlace(dense) ? dense : undefined;
}

export interface WeightedVector {
  readonly vector: Float32Array;
  readonly weight: number;
}

/**
 * The weight-averaged direction of several unit vectors, normalised; undefined when nothing with a
 * positive weight is given or the vectors cancel out. Non-positive weights are skipped: a seed list
 * says what the user engaged with, not what to steer away from.
 */
export function weightedCentroid(vectors: readonly WeightedVector[], dimensions: number): Float32Array | undefined {
  const centroid = new Float32Array(dimensions);
  let used = 0;
  for (const { vector, weight } of vectors) {
    if (!(weight > 0) || !Number.isFinite(weight)) continue;
    for (let d = 0; d < dimensions; d += 1) centroid[d] = (centroid[d] as number) + weight * (vector[d] as number);
    used += 1;
  }
  if (used === 0) return undefined;
  return normaliseInPlace(centroid) ? centroid : undefined;
}
