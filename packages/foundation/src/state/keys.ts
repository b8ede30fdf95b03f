import { partitionForKey } from './murmur2.js';

/**
 * Every Redis key of the project is built here, for the processors and the API alike.
 *
 * Layout: `sr:<version>:{p<partition>}:<entity>:<id>:<facet>`. The state version lets a backfill
 * build `v2` beside the live `v1` and switch the pointer atomically. The hash tag `{p<partition>}`
 * puts all state a partition's owner writes, and its offsets, in one Redis Cluster slot, so the
 * atomic apply (one Lua script) works on a cluster too.
 */
export type StateVersion = `v${number}`;

const versionPattern = /^v[1-9]\d{0,5}$/;

export function parseStateVersion(value: string): StateVersion {
  if (!versionPattern.test(value)) throw new RangeError(`state version must look like v1, v2, ...; got ${JSON.stringify(value)}`);
  return value as StateVersion;
}

/** Readers resolve the live version through this pointer (a plain string key, outside any partition). */
export const activeVersionKey = 'sr:active-version';

export function partitionTag(partition: number): string {
  if (!Number.isInteger(partition) || partition < 0) throw new RangeError(`partition must be a non-negative integer, got ${partition}`);
  return `{p${partition}}`;
}

export function offsetsKey(version: StateVersion, partition: number): string {
  return `sr:${version}:${partitionTag(partition)}:offsets`;
}

/** A key owned by the partition that holds `id` on a topic with `partitions` partitions. */
const keyPart = /^[a-z][a-z0-9-]*$/;

export function ownedKey(version: StateVersion, partitions: number, entity: string, id: string, facet: string): string {
  if (!isKeyPart(entity) || !isKeyPart(facet)) throw new RangeError(`bad key part: ${entity}/${facet}`);
  return `sr:${version}:${partitionTag(partitionOf(id, partitions))}:${entity}:${id}:${facet}`;
}

/** Entity and facet names seen valid: a handful of constants, checked by the pattern once each. */
const validParts = new Set<string>();
const MAX_REMEMBERED_PARTS = 1_000;

function isKeyPart(part: string): boolean {
  if (validParts.has(part)) return true;
  if (!keyPart.test(part)) return false;
  if (validParts.size < MAX_REMEMBERED_PARTS) validParts.add(part);
  return true;
}

/**
 * The last id's partition: callers build several keys of one id in a row (a record's facets, a profile's
 * reads), and the murmur2 hash is the same every time.
 */
let lastId: string | undefined;
let lastPartitions = 0;
let lastPartition = 0;

function partitionOf(id: string, partitions: number): number {
  if (id !== lastId || partitions !== lastPartitions) {
    lastPartition = partitionForKey(id, partitions);
    lastId = id;
    lastPartitions = partitions;
  }
  return lastPartition;
}

/**
 * State that belongs to a partition rather than to one id (seen-sets, per-partition hot lists and
 * popularity): same layout as `ownedKey`, with the partition given instead of hashed from the id.
 */
export function partitionKey(version: StateVersion, partition: number, entity: string, id: string, facet: string): string {
  if (!keyPart.test(entity) || !keyPart.test(facet) || id.length === 0) throw new RangeError(`bad key part: ${entity}/${id}/${facet}`);
  return `sr:${version}:${partitionTag(partition)}:${entity}:${id}:${facet}`;
}
