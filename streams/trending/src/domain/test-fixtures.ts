import { offsetsKey, parseStateVersion, partitionForKey, type RecordOps } from '@streamrec/foundation';
import { ItemActivityKind, itemIdOf, userIdOf, type ActivityRecord, type PartitionContext, type StreamContext } from '@streamrec/streams-common';
import type { MemoryState } from '@streamrec/streams-common/testing';
import { parseTrendingClock, trendingClockFields, trendingItemBatch, type OffsetItemActivity } from './item-stage.js';
import { clockKey } from './trending-keys.js';
import type { TrendingParams } from './trending-params.js';

export const streamContext: StreamContext = { version: parseStateVersion('v1'), userPartitions: 6, itemPartitions: 6 };
export const T0 = Date.UTC(2026, 10, 25, 9);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function partitionContext(partition: number): PartitionContext {
  return { ...streamContext, partition };
}

/** `count` item ids whose repartition partition is `partition`. */
export function itemsOnPartition(partition: number, count: number): number[] {
  const items: number[] = [];
  for (let id = 1; items.length < count; id += 1) if (partitionForKey(String(id), 6) === partition) items.push(id);
  return items;
}

export function activity(item: number, eventTime: number, overrides: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    kind: ItemActivityKind.Activity,
    dedupId: `activity:e-${item}-${eventTime}`,
    item: itemIdOf(item),
    eventTime,
    eventId: `e-${item}-${eventTime}`,
    user: userIdOf('42'),
    action: 'view',
    requestId: null,
    catalogued: true,
    industry: 'finance',
    tags: ['stock'],
    ...overrides,
  };
}

/** The adapter's batch: read the clock at the stored offset, fold, apply. */
export function runTrendingBatch(state: MemoryState, batch: readonly OffsetItemActivity[], context: PartitionContext, params: TrendingParams): RecordOps[] {
  const offsets = offsetsKey(context.version, context.partition);
  const stored = state.storedOffset(offsets, 'trending') ?? -1n;
  const fresh = batch.filter((entry) => entry.offset > stored);
  if (fresh.length === 0) return [];
  const fields = trendingClockFields(fresh);
  const clock = parseTrendingClock(fields, fields.map((field) => state.hget(clockKey(context, context.partition), field) ?? null));
  const records = trendingItemBatch(fresh, clock, context, params);
  state.applyBatch(offsets, 'trending', records);
  return records;
}
