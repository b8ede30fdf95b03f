import type { Redis } from 'ioredis';
import { OpKind, type RecordOps, type StateOp, type StateVersion } from '@streamrec/foundation';
import { storeNames, type StateChange, type StateSnapshot, type StoreName } from '../domain/index.js';

/**
 * The normaliser's state is global (its joins cross topics with different keys), so every key of it,
 * and the stored offsets of all its input partitions, share the hash tag `{normalize}`: one Redis
 * Cluster slot, one atomic apply-batch script over all of them.
 */
export const NORMALIZE_TAG = '{normalize}';

export const storeKey = (version: StateVersion, store: StoreName): string => `sr:${version}:${NORMALIZE_TAG}:${store}`;
export const normalizeOffsetsKey = (version: StateVersion): string => `sr:${version}:${NORMALIZE_TAG}:offsets`;
export const offsetField = (topic: string, partition: number): string => `normalize/${topic}/${partition}`;

/** One hash per store: HSET of the JSON value, HDEL for a delete. */
export function stateChangeOps(version: StateVersion, changes: readonly StateChange[]): StateOp[] {
  return changes.map((change): StateOp => {
    const key = storeKey(version, change.store);
    return change.value === null
      ? { kind: OpKind.HDel, key, field: change.key }
      : { kind: OpKind.HSet, key, field: change.key, value: JSON.stringify(change.value) };
  });
}

export function recordOps(version: StateVersion, offset: bigint, changes: readonly StateChange[]): RecordOps {
  return { offset, ops: stateChangeOps(version, changes) };
}

/**
 * HGETALL of the `stores` hashes in one pipeline: the snapshot the in-memory working copy starts
 * from. The other stores come back empty (the lazily loaded ones are read per batch instead).
 */
export async function loadStateSnapshot(redis: Redis, version: StateVersion, stores: readonly StoreName[] = storeNames): Promise<StateSnapshot> {
  const pipeline = redis.pipeline();
  for (const store of stores) pipeline.hgetall(storeKey(version, store));
  const replies = (await pipeline.exec()) ?? [];
  const snapshot: Record<string, Record<string, unknown>> = Object.fromEntries(storeNames.map((store) => [store, {}]));
  stores.forEach((store, index) => {
    const [error, hash] = replies[index] ?? [new Error('no reply'), null];
    if (error) throw error;
    const entries: Record<string, unknown> = {};
    for (const [field, json] of Object.entries((hash ?? {}) as Record<string, string>)) entries[field] = JSON.parse(json) as unknown;
    snapshot[store] = entries;
  });
  return snapshot as unknown as StateSnapshot;
}
