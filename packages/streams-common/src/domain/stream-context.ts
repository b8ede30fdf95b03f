import { AppError, ErrorCode, ownedKey, partitionForKey, partitionKey as sharedPartitionKey, type StateVersion } from '@streamrec/foundation';
import type { ItemId, UserId } from './ids.js';

/** What every processor's pure domain needs to name state: the state version and partition counts. */
export interface StreamContext {
  readonly version: StateVersion;
  /** Partitions of events.interactions.v1 (keyed by user): user state lives in that partition's slot. */
  readonly userPartitions: number;
  /** Partitions of repartition.item-activity.v1 (keyed by item): item state lives in that partition's slot. */
  readonly itemPartitions: number;
}

/** A processor's context from its config (state version, partition counts). */
export function streamContextOf(config: { readonly stateVersion: StateVersion; readonly partitions: { readonly user: number; readonly item: number } }): StreamContext {
  return { version: config.stateVersion, userPartitions: config.partitions.user, itemPartitions: config.partitions.item };
}

/** The context of one input partition's batch: every key a stage writes carries this partition's hash tag. */
export interface PartitionContext extends StreamContext {
  readonly partition: number;
}

export function userPartition(context: StreamContext, user: UserId): number {
  return partitionForKey(user, context.userPartitions);
}

export function itemPartition(context: StreamContext, item: ItemId): number {
  return partitionForKey(item, context.itemPartitions);
}

/** `sr:<v>:{p<user's partition>}:user:<id>:<facet>`. */
export function userKey(context: StreamContext, user: UserId, facet: string): string {
  return ownedKey(context.version, context.userPartitions, 'user', user, facet);
}

/** `sr:<v>:{p<item's partition>}:item:<id>:<facet>`. */
export function itemKey(context: StreamContext, item: ItemId, facet: string): string {
  return ownedKey(context.version, context.itemPartitions, 'item', item, facet);
}

/** Partition-level state (seen-sets, per-partition hot lists): the shared key module's layout. */
export function partitionKey(context: Pick<StreamContext, 'version'>, partition: number, entity: string, id: string, facet: string): string {
  return sharedPartitionKey(context.version, partition, entity, id, facet);
}

/**
 * A record whose key hashes to another partition would write another owner's slot (and fail as a
 * cross-slot script on a cluster): the producer used a different partitioner or key. Not retriable.
 */
export function assertOwned(context: PartitionContext, owner: number, what: string): void {
  if (owner !== context.partition) {
    throw new AppError(ErrorCode.PayloadInvalid, `${what} belongs to partition ${owner}, not to the input partition ${context.partition}`, {
      details: { owner, partition: context.partition },
    });
  }
}
