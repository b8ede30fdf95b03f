import { AppError, ErrorCode, type RecordOps, type StateOp } from '@streamrec/foundation';
import type { Interaction } from '@streamrec/schemas';
import {
  isStitchedEvent,
  userEventGuardId,
  DedupStage,
  assertEventTimeNotAhead,
  assertOwned,
  createSeenSetModel,
  dedupOp,
  dedupReads,
  itemIdOf,
  nextRecentItems,
  recentItemsOps,
  userIdOf,
  userPartition,
  type KeyedItemActivity,
  type DedupOp,
  type DedupReads,
  type DedupSnapshot,
  type PartitionContext,
  type RecentItem,
  type SeenSetModel,
  type UserId,
} from '@streamrec/streams-common';
import { coItemRecords, eventPairIncrements } from './co-items.js';
import type { PairIncrement } from './pair-increments.js';
import { windowKey } from './cooccurrence-keys.js';
import type { CooccurrenceParams } from './cooccurrence-params.js';

/**
 * Cooccurrence's user stage is read-then-apply: a record's pairs depend on the user's window before
 * it. The adapter, per batch of one partition and in one pipelined round trip, reads the stored
 * offset, every user's window and every record's seen-set membership; drops records at or below the
 * stored offset; calls `cooccurrenceUserBatch`; produces `repartition` (awaiting acks); then applies
 * `records` with the offset. The window at an offset is a function of the ops before it, so reading
 * it *as of the stored offset* and folding it forward through the batch (nextRecentItems, the seen-set
 * model) computes exactly what a one-record-at-a-time pass would: any batch split gives the same ops.
 */
export interface OffsetInteraction {
  readonly offset: bigint;
  readonly interaction: Interaction;
}

export interface CooccurrenceUserReads {
  /** `ZREVRANGE key 0 -1 WITHSCORES` per distinct user of the batch. */
  readonly windows: readonly { readonly user: UserId; readonly key: string }[];
  /** The seen-set replies the batch's Dedup ops need (dedupReads). */
  readonly seen: DedupReads;
}

export interface CooccurrenceUserSnapshot {
  /** Parsed windows (parseRecentItems); a user without a stored window maps to []. */
  readonly windows: ReadonlyMap<UserId, readonly RecentItem[]>;
  /** The replies to `reads.seen`. */
  readonly seen: DedupSnapshot;
}

/** One input record's result: a RecordOps for applyBatch, plus what to produce before applying it. */
export interface CooccurrenceUserRecord extends RecordOps {
  readonly ops: StateOp[];
  readonly repartition: KeyedItemActivity[];
  /** The pairs the co-item records carry, as increments of the daily pair counts (events.cooccurrence.v1). */
  readonly pairs: PairIncrement[];
}

export function cooccurrenceUserReads(batch: readonly OffsetInteraction[], context: PartitionContext, params: CooccurrenceParams): CooccurrenceUserReads {
  const users = new Map<UserId, string>();
  const dedups = batch.map(({ interaction }) => {
    const user = userIdOf(interaction.user_id);
    users.set(user, windowKey(context, user));
    return userDedupOp(interaction, context, params);
  });
  return { windows: [...users].map(([user, key]) => ({ user, key })), seen: dedupReads(dedups) };
}

function userDedupOp(interaction: Interaction, context: PartitionContext, params: CooccurrenceParams): DedupOp {
  return dedupOp(context, context.partition, DedupStage.CooccurrenceUser, userEventGuardId(interaction.user_id, interaction.event_id), interaction.event_time, params.dedup);
}

/** Results in input order; produce every `repartition`, then apply the results as the batch's records. */
export function cooccurrenceUserBatch(
  batch: readonly OffsetInteraction[],
  snapshot: CooccurrenceUserSnapshot,
  context: PartitionContext,
  params: CooccurrenceParams,
): CooccurrenceUserRecord[] {
  const windows = new Map(snapshot.windows);
  const seen = createSeenSetModel(snapshot.seen);
  return batch.map(({ offset, interaction }) => {
    const { ops, repartition, pairs } = cooccurrenceUserStep(windows, seen, interaction, context, params);
    return { offset, ops, repartition, pairs };
  });
}

/** One record; advances `windows` and `seen` (the batch's working copies) as the ops will advance Redis. */
function cooccurrenceUserStep(
  windows: Map<UserId, readonly RecentItem[]>,
  seen: SeenSetModel,
  interaction: Interaction,
  context: PartitionContext,
  params: CooccurrenceParams,
): { ops: StateOp[]; repartition: KeyedItemActivity[]; pairs: PairIncrement[] } {
  const user = userIdOf(interaction.user_id);
  assertOwned(context, userPartition(context, user), `user ${user}`);
  assertEventTimeNotAhead(interaction.event_time, interaction.ingest_time, params.eventTime);
  const window = windows.get(user);
  if (window === undefined) throw new AppError(ErrorCode.InvalidArgument, `the window of user ${user} was not read before the batch`);

  const eventTime = interaction.event_time;
  const dedup = userDedupOp(interaction, context, params);
  if (!seen.apply(dedup)) {
    // A duplicate: the guard will skip whatever follows it, so nothing may follow, and no pairs leave.
    return { ops: [dedup], repartition: [], pairs: [] };
  }

  const current = { item: itemIdOf(interaction.item_id), eventTime };
  // A stitched copy joins the user's window (later items pair with it), but its pairs were counted
  // when the anonymous original arrived: it emits none itself.
  const stitched = isStitchedEvent(interaction.event_id);
  const pairing = { item: current.item, eventTime, eventId: interaction.event_id, user, action: interaction.action };
  const repartition = stitched ? [] : coItemRecords(window, pairing, context, params);
  const pairs = stitched ? [] : eventPairIncrements(window, pairing, params);
  windows.set(user, nextRecentItems(window, current, { maxItems: params.windowItems }));
  return { ops: [dedup, ...recentItemsOps(windowKey(context, user), current, { maxItems: params.windowItems })], repartition, pairs };
}
