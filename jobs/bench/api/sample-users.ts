import type { Redis } from 'ioredis';
import { readActiveVersion } from '@streamrec/foundation/redis';
import { type StateVersion } from '@streamrec/foundation';
import { seededRandom } from '@streamrec/foundation';

export interface UserSample {
  readonly version: StateVersion;
  /** Users with a `recent` list in the active state version. */
  readonly knownUsersInRedis: number;
  readonly known: readonly string[];
  /** Ids no event ever carried: the cold-start path. */
  readonly unknown: readonly string[];
  /** known and unknown interleaved in a seeded random order. */
  readonly ordered: readonly string[];
}

const recentSuffix = ':recent';
const userInfix = ':user:';

/** The user id of `sr:<v>:{p<n>}:user:<id>:recent` (ids may hold ':', e.g. anon:<visitor>). */
export function userIdOfRecentKey(key: string): string | undefined {
  const start = key.indexOf(userInfix);
  if (start < 0 || !key.endsWith(recentSuffix)) return undefined;
  const id = key.slice(start + userInfix.length, key.length - recentSuffix.length);
  return id === '' ? undefined : id;
}

/**
 * `size` users: (1 − coldShare) of them drawn at random from those with state in the active version
 * (SCAN of `sr:<v>:*:user:*:recent`), the rest unknown ids. Seeded, so reruns ask for the same users.
 */
export async function sampleUsers(redis: Redis, size: number, coldShare: number, seed: number): Promise<UserSample> {
  const version = await readActiveVersion(redis);
  const ids = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `sr:${version}:*${userInfix}*${recentSuffix}`, 'COUNT', 5_000);
    for (const key of keys) {
      const id = userIdOfRecentKey(key);
      if (id !== undefined) ids.add(id);
    }
    cursor = next;
  } while (cursor !== '0');
  const random = seededRandom(seed);
  const all = shuffle([...ids].sort(), random);
  const coldCount = Math.round(size * coldShare);
  const known = all.slice(0, Math.max(0, size - coldCount));
  const unknown = Array.from({ length: size - known.length }, (_, index) => `bench-cold-${seed}-${index}`);
  return { version, knownUsersInRedis: ids.size, known, unknown, ordered: shuffle([...known, ...unknown], random) };
}

function shuffle<T>(values: T[], random: () => number): T[] {
  for (let index = values.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [values[index], values[other]] = [values[other]!, values[index]!];
  }
  return values;
}
