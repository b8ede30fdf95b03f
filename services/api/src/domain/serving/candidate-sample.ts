import { partitionForKey } from '@streamrec/foundation';
import type { ItemId } from '@streamrec/streams-common';

const BUCKETS = 1_000_000;

/**
 * Which ranked-but-not-shown candidates an exposure logs (shown = false) for training: each with
 * probability `rate`, decided by a hash of the request's user and time and the item, so the same request
 * logs the same sample (replays and tests are reproducible) without a random number generator.
 */
export function sampleUnshown<T extends { readonly item: ItemId }>(candidates: readonly T[], rate: number, seed: string): T[] {
  if (!(rate > 0)) return [];
  if (rate >= 1) return [...candidates];
  const threshold = Math.floor(rate * BUCKETS);
  return candidates.filter(({ item }) => partitionForKey(`${seed}:${item}`, BUCKETS) < threshold);
}
