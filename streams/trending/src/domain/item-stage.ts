import { AppError, ErrorCode, OpKind, type RecordOps, type StateOp } from '@streamrec/foundation';
import {
  DedupStage,
  ItemActivityKind,
  assertOwned,
  dedupOp,
  itemPartition,
  type ActivityRecord,
  type AvailabilityRecord,
  type ItemActivityRecord,
  type PartitionContext,
} from '@streamrec/streams-common';
import { clockField, clockKey, hotListKey, itemScopes, scopeId } from './trending-keys.js';
import { bucketOf, keptBuckets, trendingWindows, type TrendingParams } from './trending-params.js';

/**
 * Trending's item stage is read-then-apply, like cooccurrence's user stage: old buckets are deleted
 * exactly when a scope's clock (its newest bucket, a field of the partition's clock hash) moves past
 * them, so the stage must know the clock before each record. The adapter, per batch, reads the stored
 * offset and `HMGET clock <trendingClockFields(batch)>` in one round trip, drops records at or below the
 * stored offset, calls `trendingItemBatch`, and applies. The clock at an offset is a function of the
 * ops before it (HSetMax of event-time buckets), so any batch split yields the same ops.
 *
 * Clock moves come before the record's dedup and apply even to a duplicate: a
 * duplicate has the same event time, so they are no-ops for it (the dedup sweeps expired seen-sets itself, in the script), and the fold needs no seen-set reads.
 */
export interface OffsetItemActivity {
  readonly offset: bigint;
  readonly record: ItemActivityRecord;
}

/** HMGET replies by field: a number, or null when the field does not exist yet. */
export type TrendingClock = ReadonlyMap<string, number | null>;

export function trendingClockFields(batch: readonly OffsetItemActivity[]): string[] {
  const fields = new Set<string>();
  for (const { record } of batch) {
    if (record.kind !== ItemActivityKind.Activity && record.kind !== ItemActivityKind.Availability) continue;
    for (const scope of itemScopes(record.industry, record.tags)) for (const window of trendingWindows) fields.add(clockField(window, scopeId(scope)));
  }
  return [...fields];
}

export function parseTrendingClock(fields: readonly string[], replies: readonly (string | null)[]): TrendingClock {
  return new Map(fields.map((field, index) => [field, replies[index] === null || replies[index] === undefined ? null : Number(replies[index])]));
}

export function trendingItemBatch(batch: readonly OffsetItemActivity[], clock: TrendingClock, context: PartitionContext, params: TrendingParams): RecordOps[] {
  const working = new Map(clock);
  return batch.map(({ offset, record }) => ({ offset, ops: trendingItemStep(working, record, context, params) }));
}

function trendingItemStep(clock: Map<string, number | null>, record: ItemActivityRecord, context: PartitionContext, params: TrendingParams): StateOp[] {
  assertOwned(context, itemPartition(context, record.item), `item ${record.item}`);
  switch (record.kind) {
    case ItemActivityKind.Activity:
      return activityOps(clock, record, context, params);
    case ItemActivityKind.Availability:
      // Guarded: a re-sent removal (relay crash) must not remove the activity that came after it.
      return record.available && !record.deleted
        ? []
        : [dedupOp(context, context.partition, DedupStage.TrendingItem, record.dedupId, record.eventTime, params.dedup), ...removalOps(clock, record, context, params)];
    case ItemActivityKind.CoItems:
    case ItemActivityKind.Exposure:
      return [];
  }
}

function readClock(clock: ReadonlyMap<string, number | null>, field: string): number | null {
  const value = clock.get(field);
  if (value === undefined) throw new AppError(ErrorCode.InvalidArgument, `trending clock field ${field} was not read before the batch`);
  return value;
}

function activityOps(clock: Map<string, number | null>, record: ActivityRecord, context: PartitionContext, params: TrendingParams): StateOp[] {
  const clockOps: StateOp[] = [];
  const writes: StateOp[] = [];
  const weight = params.actionWeights[record.action];
  for (const window of trendingWindows) {
    const spec = params.windows[window];
    const kept = keptBuckets(spec, params);
    const bucket = bucketOf(record.eventTime, spec);
    for (const scope of itemScopes(record.industry, record.tags).map(scopeId)) {
      const field = clockField(window, scope);
      const last = readClock(clock, field);
      if (last === null || bucket > last) {
        // Live buckets go from (last-kept, last] to (bucket-kept, bucket]: delete the ones that left.
        if (last !== null) for (let old = last - kept + 1; old <= Math.min(last, bucket - kept); old += 1) clockOps.push({ kind: OpKind.Del, key: hotListKey(context, context.partition, scope, window, old) });
        clockOps.push({ kind: OpKind.HSetMax, key: clockKey(context, context.partition), field, value: bucket });
        clock.set(field, bucket);
      }
      // A late event whose bucket already expired would re-create a key nothing deletes any more.
      const newest = last === null ? bucket : Math.max(last, bucket);
      if (weight > 0 && bucket > newest - kept) {
        const key = hotListKey(context, context.partition, scope, window, bucket);
        writes.push({ kind: OpKind.ZIncrBy, key, member: record.item, by: weight }, { kind: OpKind.ZKeepTop, key, count: params.bucketKeepTop });
      }
    }
  }
  return [...clockOps, dedupOp(context, context.partition, DedupStage.TrendingItem, record.dedupId, record.eventTime, params.dedup), ...writes];
}

/**
 * An unavailable or deleted item leaves every live bucket of its current industry and tags. Not
 * covered: scopes it had before a re-tagging (they expire within a week) and a later event for it
 * (re-adds it). Readers filter hot lists by availability anyway.
 */
function removalOps(clock: ReadonlyMap<string, number | null>, record: AvailabilityRecord, context: PartitionContext, params: TrendingParams): StateOp[] {
  const ops: StateOp[] = [];
  for (const window of trendingWindows) {
    const kept = keptBuckets(params.windows[window], params);
    for (const scope of itemScopes(record.industry, record.tags).map(scopeId)) {
      const last = readClock(clock, clockField(window, scope));
      if (last === null) continue;
      for (let bucket = last - kept + 1; bucket <= last; bucket += 1) ops.push({ kind: OpKind.ZRem, key: hotListKey(context, context.partition, scope, window, bucket), member: record.item });
    }
  }
  return ops;
}
