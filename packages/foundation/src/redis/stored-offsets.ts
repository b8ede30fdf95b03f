import type { Redis } from 'ioredis';
import { activeVersionKey, offsetsKey, parseStateVersion, type StateVersion } from '../state/keys.js';
import type { StateStore } from '../state/state-store.js';

/**
 * The `storedOffset` lookup of a stage that records its offset in the per-partition offsets hash
 * (`offsetsKey(version, partition)`, one field per stage): what the consumer loop seeks to on assignment.
 */
export function partitionOffsetLookup(store: StateStore, version: StateVersion, field: string): (topic: string, partition: number) => Promise<bigint | undefined> {
  return async (_topic, partition) => store.storedOffset(offsetsKey(version, partition), field);
}

/** The version readers use when the pointer was never set. */
export const defaultActiveVersion: StateVersion = 'v1';

/**
 * The live state version, resolved per request by readers (the API): `sr:active-version`, or v1 when
 * unset. A replay switches the pointer atomically, so a reader sees the old or the new version, never a mix
 * within one resolution. `pointerKey` is for isolated set-ups (tests on a shared Redis).
 */
export async function readActiveVersion(redis: Pick<Redis, 'get'>, pointerKey: string = activeVersionKey): Promise<StateVersion> {
  const value = await redis.get(pointerKey);
  return value === null ? defaultActiveVersion : parseStateVersion(value);
}

/** The stored offsets of one stage field on the given partitions (undefined: nothing applied yet). */
export async function storedOffsets(redis: Redis, version: StateVersion, field: string, partitions: readonly number[]): Promise<Map<number, bigint | undefined>> {
  const pipeline = redis.pipeline();
  for (const partition of partitions) pipeline.hget(offsetsKey(version, partition), field);
  const replies = (await pipeline.exec()) ?? [];
  return new Map(
    partitions.map((partition, index) => {
      const [error, value] = replies[index] ?? [new Error('no reply'), null];
      if (error) throw error;
      return [partition, typeof value === 'string' ? BigInt(value) : undefined];
    }),
  );
}
