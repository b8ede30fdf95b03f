import { seededRandom } from '@streamrec/foundation';

/** Fisher–Yates with a seeded generator; returns a new array. */
export function seededShuffle<T>(values: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const result = [...values];
  for (let index = result.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const held = result[index] as T;
    result[index] = result[other] as T;
    result[other] = held;
  }
  return result;
}

/** `size` values of `values` chosen by seed, in their original order (all of them when size ≥ length). */
export function seededSample<T>(values: readonly T[], size: number, seed: number): T[] {
  if (size >= values.length) return [...values];
  const chosen = new Set(seededShuffle(values.map((_, index) => index), seed).slice(0, size));
  return values.filter((_, index) => chosen.has(index));
}
