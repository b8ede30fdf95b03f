/**
 * A seeded 32-bit hash of strings (FNV-1a over UTF-16 code units, then murmur3's finaliser): the same
 * inputs give the same number in every process and on every machine, so sampling and row order depend
 * only on the seed and the ids, never on the order rows arrived in.
 */
export function stableHash(seed: number, ...parts: readonly string[]): number {
  let hash = (0x811c9dc5 ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
  for (const part of parts) {
    for (let index = 0; index < part.length; index += 1) {
      hash ^= part.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0xff; // separator, so ('ab', 'c') and ('a', 'bc') differ
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
