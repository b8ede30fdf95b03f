import { describe, expect, it } from 'vitest';
import { OpKind, type StateOp } from '@streamrec/foundation';
import { ItemActivityKind, itemIdOf, type AvailabilityRecord } from '@streamrec/streams-common';
import { createMemoryState } from '@streamrec/streams-common/testing';
import { seededRandom } from '@streamrec/streams-common/testing';
import { parseTrendingClock, trendingClockFields, trendingItemBatch, type OffsetItemActivity } from './item-stage.js';
import { defaultTrendingParams as params } from './trending-params.js';
import { DAY, HOUR, MINUTE, T0, activity, itemsOnPartition, partitionContext, runTrendingBatch } from './test-fixtures.js';

const context = partitionContext(2);
const [item = 0, other = 0] = itemsOnPartition(2, 2);
const hourBucket = Math.floor(T0 / (5 * MINUTE));
const keysOf = (ops: readonly StateOp[], kind: StateOp['kind']) => ops.filter((op) => op.kind === kind).map((op) => op.key);
const emptyClock = (batch: OffsetItemActivity[]) => new Map(trendingClockFields(batch).map((field) => [field, null] as const));
const single = (record: OffsetItemActivity['record'], clock?: ReadonlyMap<string, number | null>) => {
  const batch = [{ offset: 0n, record }];
  return trendingItemBatch(batch, clock ?? emptyClock(batch), context, params)[0]?.ops ?? [];
};

describe('trending item stage', () => {
  it('adds the action weight to the event-time bucket of every window and scope, trimmed, after the guard', () => {
    const ops = single(activity(item, T0, { action: 'cart', tags: ['stock', 'daily'] }));
    const guard = ops.findIndex((op) => op.kind === OpKind.Dedup);
    expect(ops[guard]).toEqual(expect.objectContaining({ kind: OpKind.Dedup, key: 'sr:v1:{p2}:seen:20261125:trending-item', id: `activity:e-${item}-${T0}` }));
    const writes = ops.slice(guard + 1);
    expect(writes.filter((op) => op.kind === OpKind.ZIncrBy)).toHaveLength(3 * 4);
    expect(writes).toContainEqual({ kind: OpKind.ZIncrBy, key: `sr:v1:{p2}:trending:global:hour-${hourBucket}`, member: String(item), by: 5 });
    expect(writes).toContainEqual({ kind: OpKind.ZIncrBy, key: `sr:v1:{p2}:trending:industry=finance:day-${Math.floor(T0 / HOUR)}`, member: String(item), by: 5 });
    expect(writes).toContainEqual({ kind: OpKind.ZKeepTop, key: `sr:v1:{p2}:trending:tag=daily:week-${Math.floor(T0 / DAY)}`, count: 500 });
  });

  it('puts an item the catalogue did not know into the global lists only', () => {
    const ops = single(activity(item, T0, { catalogued: false, industry: null, tags: [] }));
    expect(new Set(keysOf(ops, OpKind.ZIncrBy).map((key) => key.split(':')[4]))).toEqual(new Set(['global']));
  });

  it('deletes a bucket exactly when the scope’s clock moves past the window plus grace', () => {
    const kept = params.windows.hour.buckets + params.graceBuckets;
    const clock = new Map(trendingClockFields([{ offset: 0n, record: activity(item, T0) }]).map((field) => [field, null as number | null]));
    clock.set('hour|global', hourBucket - 1);
    const ops = single(activity(item, T0), clock);
    expect(keysOf(ops, OpKind.Del).filter((key) => key.includes(':trending:global:hour-'))).toEqual([`sr:v1:{p2}:trending:global:hour-${hourBucket - kept}`]);
    expect(ops).toContainEqual({ kind: OpKind.HSetMax, key: 'sr:v1:{p2}:trending:clock:last-bucket', field: 'hour|global', value: hourBucket });
  });

  it('keeps only live buckets in the store over three weeks of traffic, sparse scopes included', () => {
    const state = createMemoryState();
    const random = seededRandom(3);
    let sparseEvents = 0;
    let offset = 0n;
    for (let time = T0; time < T0 + 21 * DAY; time += Math.floor(random() * 3 * HOUR)) {
      const sparse = random() < 0.05 ? ['rare'] : [];
      sparseEvents += sparse.length;
      runTrendingBatch(state, [{ offset: offset++, record: activity(random() < 0.5 ? item : other, time, { tags: ['stock', ...sparse] }) }], context, params);
    }
    for (const key of state.keys().filter((name) => /:trending:(?!clock)/.test(name))) {
      const [, scope = '', window = 'hour', bucket = '0'] = /:trending:([^:]+):(hour|day|week)-(\d+)$/.exec(key) ?? [];
      const clock = Number(state.hget('sr:v1:{p2}:trending:clock:last-bucket', `${window}|${scope}`));
      const kept = params.windows[window as 'hour'].buckets + params.graceBuckets;
      expect(Number(bucket), key).toBeGreaterThan(clock - kept);
    }
    expect(state.keys().filter((name) => name.includes(':trending:global:week-')).length).toBeLessThanOrEqual(params.windows.week.buckets + params.graceBuckets);
    expect(sparseEvents).toBeGreaterThan(3);
  });

  it('does not re-create a bucket for an event later than the window', () => {
    const state = createMemoryState();
    runTrendingBatch(state, [{ offset: 0n, record: activity(item, T0 + 10 * DAY) }], context, params);
    const [late] = runTrendingBatch(state, [{ offset: 1n, record: activity(other, T0) }], context, params);
    expect(keysOf(late?.ops ?? [], OpKind.ZIncrBy)).toEqual([]);
    expect(state.keys().some((key) => key.endsWith(`week-${Math.floor(T0 / DAY)}`))).toBe(false);
  });

  it('any batch split gives the same state as one record at a time', () => {
    const random = seededRandom(8);
    const items = itemsOnPartition(2, 6);
    const records: OffsetItemActivity[] = Array.from({ length: 400 }, (_, index) => ({
      offset: BigInt(index),
      record: activity(items[Math.floor(random() * items.length)] ?? 0, T0 + index * 20 * MINUTE - Math.floor(random() * 3 * HOUR), { tags: random() < 0.3 ? ['stock', 'rare'] : ['stock'] }),
    }));
    const oneByOne = createMemoryState();
    for (const record of records) runTrendingBatch(oneByOne, [record], context, params);
    const batched = createMemoryState();
    for (let start = 0; start < records.length; ) {
      const end = Math.min(records.length, start + 1 + Math.floor(random() * 60));
      runTrendingBatch(batched, records.slice(Math.max(0, start - Math.floor(random() * 5)), end), context, params);
      start = end;
    }
    expect(batched.dump()).toEqual(oneByOne.dump());
  });

  it('removes an unavailable item from every live bucket of its scopes, and ignores an available one', () => {
    const state = createMemoryState();
    runTrendingBatch(state, [{ offset: 0n, record: activity(item, T0) }, { offset: 1n, record: activity(other, T0 + HOUR) }], context, params);
    const change = (available: boolean): AvailabilityRecord => ({ kind: ItemActivityKind.Availability, dedupId: `availability:${item}:9`, item: itemIdOf(item), eventTime: T0 + 2 * HOUR, available, deleted: false, industry: 'finance', tags: ['stock'], sourceVersion: 9 });
    expect(runTrendingBatch(state, [{ offset: 2n, record: change(true) }], context, params)[0]?.ops).toEqual([]);
    const [removal] = runTrendingBatch(state, [{ offset: 3n, record: change(false) }], context, params);
    expect(removal?.ops.filter((op) => !op.key.includes(':seen:')).every((op) => op.kind === OpKind.ZRem && op.member === String(item))).toBe(true);
    const members = state.keys().filter((key) => key.includes(':trending:') && !key.includes(':clock:')).flatMap((key) => state.zrevrangeWithScores(key));
    expect(members).not.toContain(String(item));
    expect(members).toContain(String(other));
  });

  it('ignores a re-sent removal: the activity after the first one stays', () => {
    const state = createMemoryState();
    const removal: AvailabilityRecord = { kind: ItemActivityKind.Availability, dedupId: `availability:${item}:9`, item: itemIdOf(item), eventTime: T0 + HOUR, available: false, deleted: false, industry: 'finance', tags: ['stock'], sourceVersion: 9 };
    runTrendingBatch(state, [{ offset: 0n, record: activity(item, T0) }, { offset: 1n, record: removal }, { offset: 2n, record: activity(item, T0 + 2 * HOUR) }], context, params);
    runTrendingBatch(state, [{ offset: 3n, record: removal }], context, params); // the relay re-sent it after a crash
    const members = state.keys().filter((key) => key.includes(':trending:') && !key.includes(':clock:')).flatMap((key) => state.zrevrangeWithScores(key));
    expect(members).toContain(String(item));
  });

  it('refuses to run without the clock fields of the batch', () => {
    expect(() => trendingItemBatch([{ offset: 0n, record: activity(item, T0) }], parseTrendingClock([], []), context, params)).toThrow(/was not read/);
  });
});
