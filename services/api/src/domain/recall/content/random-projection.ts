/**
 * Achlioptas' sparse random projection from the hashed term space (2^32 sparse) to a small dense
 * space: each term gets a fixed random row of +1 / 0 / −1 entries (probabilities ≈ 1/6, 2/3, 1/6), and a
 * document's vector is the weighted sum of its terms' rows. Inner products, hence cosine similarity,
 * are preserved in expectation, and the rows are derived from (seed, term hash) on the fly, so no
 * projection matrix is stored and the same seed reproduces the same vectors in any process.
 *
 * The √3 scale of the textbook version is left out: every vector is L2-normalised afterwards.
 */

/** splitmix32's finaliser: spreads every input bit over the output. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * A byte below 42 is +1, below 84 is −1, otherwise 0: P = 42/256 ≈ 0.164 for each sign instead of
 * exactly 1/6. The distribution stays symmetric with zero mean, which is all the
 * distance-preservation argument needs; the variance difference disappears in normalisation.
 */
const positiveBelow = 42;
const negativeBelow = 84;

export interface RandomProjection {
  readonly dimensions: number;
  readonly seed: number;
  /** Adds `weight` × the term's row into `into` (length `dimensions`). */
  accumulate(term: number, weight: number, into: Float32Array): void;
}

export function createRandomProjection(dimensions: number, seed: number): RandomProjection {
  const seedState = mix32(seed >>> 0);
  return {
    dimensions,
    seed,
    accumulate(term, weight, into) {
      let state = mix32(seedState ^ term);
      let bits = 0;
      for (let d = 0; d < dimensions; d += 1) {
        // One 32-bit draw feeds four dimensions.
        if ((d & 3) === 0) {
          state = (state + 0x6d2b79f5) | 0;
          bits = mix32(state);
        }
        const byte = (bits >>> ((d & 3) << 3)) & 0xff;
        if (byte < positiveBelow) into[d] = (into[d] as number) + weight;
        else if (byte < negativeBelow) into[d] = (into[d] as number) - weight;
      }
    },
  };
}

/** Scales to unit length in place; returns false (and leaves zeros) for a zero vector. */
export function normaliseInPlace(vector: Float32Array): boolean {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (!(sum > 0)) return false;
  const inverse = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i += 1) vector[i] = (vector[i] as number) * inverse;
  return true;
}
