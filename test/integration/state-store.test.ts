/**
 * Integration (needs the local stack's Redis: `npm run setup`): the atomic batch apply that every
 * stream processor uses. Each test works in its own state version, so tests never see each other's keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedisStateStore } from '@streamrec/foundation/redis';
import { decayAdd, decayedCounter, decayTimeField, offsetsKey, OpKind, parseStateVersion, seededRandom, type RecordOps, type StateOp, type StateStore, type StateVersion } from '@streamrec/foundation';
import { createMemoryState } from '@streamrec/streams-common/testing';
import { createRedis, scanKeys } from '../helpers/redis.js';

let redis: Redis;
let store: StateStore;
const versions: StateVersion[] = [];

beforeAll(() => {
  redis = createRedis();
  store = createRedisStateStore(redis);
});

afterAll(async () => {
  for (const version of versions) {
    const keys = await scanKeys(redis, `sr:${version}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

function freshVersion(): StateVersion {
  const version = parseStateVersion(`v${100_000 + Math.floor(Math.random() * 800_000)}`);
  versions.push(version);
  return version;
}

const field = 'test/events.interactions.v1';
const key = (version: StateVersion, name: string): string => `sr:${version}:{p0}:${name}`;

/** `DUMP` of every key of a version, keyed by name with the version replaced: equal maps are equal bytes. */
async function dumps(version: StateVersion): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of await scanKeys(redis, `sr:${version}:*`)) result[name.replace(version, 'VERSION')] = (await redis.dumpBuffer(name))?.toString('hex') ?? 'missing';
  return result;
}

describe('atomic state batches with partition offsets', () => {
  it('applies a batch once: the same batch again changes nothing', async () => {
    const version = freshVersion();
    const records: RecordOps[] = [
      { offset: 0n, ops: [{ kind: OpKind.HIncrBy, key: key(version, 'user:1:counts'), field: 'view', by: 1 }] },
      { offset: 1n, ops: [{ kind: OpKind.HIncrBy, key: key(version, 'user:1:counts'), field: 'view', by: 1 }] },
    ];
    const first = await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 1n, records });
    const again = await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 1n, records });
    expect(first).toEqual({ applied: 2, skipped: 0, storedOffset: 1n });
    expect(again).toEqual({ applied: 0, skipped: 0, storedOffset: 1n });
    expect(await redis.hget(key(version, 'user:1:counts'), 'view')).toBe('2');
    expect(await store.storedOffset(offsetsKey(version, 0), field)).toBe(1n);
  });

  it('trims an overlapping batch to the records after the stored offset', async () => {
    const version = freshVersion();
    const incr = (offset: bigint): RecordOps => ({ offset, ops: [{ kind: OpKind.ZIncrBy, key: key(version, 'hot'), member: 'item-9', by: 1 }] });
    await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 5n, records: [incr(4n), incr(5n)] });
    const overlapping = await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 7n, records: [incr(4n), incr(5n), incr(6n), incr(7n)] });
    expect(overlapping).toEqual({ applied: 2, skipped: 2, storedOffset: 7n });
    expect(await redis.zscore(key(version, 'hot'), 'item-9')).toBe('4');
  });

  it('a guard skips the rest of a re-delivered event (same event id at a later offset)', async () => {
    const version = freshVersion();
    const event = (offset: bigint): RecordOps => ({
      offset,
      ops: [
        { kind: OpKind.Guard, key: key(version, 'seen:20261125'), id: 'matomo:lva:42' },
        { kind: OpKind.HIncrBy, key: key(version, 'item:7:counts'), field: 'download', by: 1 },
        { kind: OpKind.PfAdd, key: key(version, 'item:7:users'), element: 'user-3' },
      ],
    });
    const result = await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 11n, records: [event(10n), event(11n)] });
    expect(result).toEqual({ applied: 4, skipped: 2, storedOffset: 11n });
    expect(await redis.hget(key(version, 'item:7:counts'), 'download')).toBe('1');
  });

  it('keeps the top members, the newest unique recent items and the larger version', async () => {
    const version = freshVersion();
    const ops: StateOp[] = [
      ...['a', 'b', 'c', 'd'].map((member, index) => ({ kind: OpKind.ZAdd, key: key(version, 'top'), member, score: index }) as const),
      { kind: OpKind.ZKeepTop, key: key(version, 'top'), count: 2 },
      ...['x', 'y', 'x', 'z'].map((value) => ({ kind: OpKind.LPushUniqueTrim, key: key(version, 'recent'), value, length: 2 }) as const),
      { kind: OpKind.HSetMax, key: key(version, 'meta'), field: 'last_event_ms', value: 2000 },
      { kind: OpKind.HSetMax, key: key(version, 'meta'), field: 'last_event_ms', value: 1000 },
    ];
    await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 0n, records: [{ offset: 0n, ops }] });
    expect(await redis.zrange(key(version, 'top'), 0, -1)).toEqual(['c', 'd']);
    expect(await redis.lrange(key(version, 'recent'), 0, -1)).toEqual(['z', 'x']);
    expect(await redis.hget(key(version, 'meta'), 'last_event_ms')).toBe('2000');
  });

  it('hsetmin keeps the smaller value (the first event time), and a decayed counter decays as the TypeScript read side computes it', async () => {
    const version = freshVersion();
    const stats = key(version, 'user:6:stats');
    const hour = 3_600_000;
    const adds = [
      { by: 1, time: 10 * hour },
      { by: 1, time: 11 * hour },
      { by: 2, time: 10.5 * hour }, // late: added decayed to the held time
      { by: 1, time: 13 * hour },
    ];
    const ops: StateOp[] = [
      { kind: OpKind.HSetMin, key: stats, field: 'first_event_ms', value: 2000 },
      { kind: OpKind.HSetMin, key: stats, field: 'first_event_ms', value: 1000 },
      { kind: OpKind.HSetMin, key: stats, field: 'first_event_ms', value: 3000 },
      ...adds.map(({ by, time }) => ({ kind: OpKind.HDecayAdd, key: stats, field: 'events_1h', by, time, halfLifeMs: hour }) as const),
    ];
    const records: RecordOps[] = ops.map((op, index) => ({ offset: BigInt(index), ops: [op] }));
    await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: BigInt(records.length - 1), records });
    // A replay of the same batch changes nothing.
    await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: BigInt(records.length - 1), records });
    expect(await redis.hget(stats, 'first_event_ms')).toBe('1000');
    let expected: { value: number; time: number | undefined } = { value: 0, time: undefined };
    for (const { by, time } of adds) expected = decayAdd(expected.value, expected.time, by, time, hour);
    const [value, heldTime] = await redis.hmget(stats, 'events_1h', decayTimeField('events_1h'));
    expect(Number(heldTime)).toBe(13 * hour);
    expect(Math.abs(Number(value) - expected.value) / expected.value).toBeLessThan(1e-12);
    // By hand: 1 at 10 h, 1 at 11 h → 1.5; 2 at 10.5 h adds 2·2^−0.5; decayed 2 h to 13 h, plus 1.
    expect(Number(value)).toBeCloseTo((1.5 + 2 * 2 ** -0.5) * 0.25 + 1, 12);
    expect(decayedCounter(Number(value), Number(heldTime), 14 * hour, hour)).toBeCloseTo(Number(value) / 2, 12);
  });

  it('a record\'s decayed counters of one hash, applied together, give the bytes of one call per op', async () => {
    const random = seededRandom(20261207);
    const hour = 3_600_000;
    const actions = ['view', 'click', 'purchase'];
    // Per record what activityStatsOps and priceStatsOps write: three windows and an action counter in a
    // row (sometimes a field twice, which must split the group), the first event time, price sums and max.
    const opsFor = (stats: string, offset: number): StateOp[] => {
      const time = 100 * hour + offset * 600_000 - (random() < 0.2 ? Math.floor(random() * 10 * hour) : 0);
      const action = actions[Math.floor(random() * actions.length)] ?? 'view';
      const decay = (fieldName: string, halfLifeMs: number): StateOp => ({ kind: OpKind.HDecayAdd, key: stats, field: fieldName, by: 1 + (offset % 3), time, halfLifeMs });
      return [
        decay('events_1h', hour),
        decay('events_24h', 24 * hour),
        ...(offset % 7 === 0 ? [decay('events_24h', 24 * hour)] : []),
        decay('events_7d', 168 * hour),
        decay(`${action}_7d`, 168 * hour),
        { kind: OpKind.HSetMin, key: stats, field: 'first_event_ms', value: time },
        { kind: OpKind.HIncrByFloat, key: stats, field: 'price_sum', by: 0.1 + random() * 10 },
        { kind: OpKind.HIncrBy, key: stats, field: 'price_n', by: 1 },
        { kind: OpKind.HSetMax, key: stats, field: 'price_max', value: Math.floor(random() * 1000) },
        ...(offset % 11 === 0 ? [decay('events_1h', hour)] : []),
      ];
    };
    const together = freshVersion();
    const apart = freshVersion();
    const records = [...Array(300).keys()].map((offset) => ({ offset, ops: opsFor('STATS', offset) }));
    const withKey = (version: StateVersion, ops: readonly StateOp[]): StateOp[] => ops.map((op) => ({ ...op, key: key(version, 'user:7:stats') }));
    const chunked = createRedisStateStore(redis, { maxOpsPerCall: 40 });
    await chunked.applyBatch({ offsetsKey: offsetsKey(together, 0), field, lastOffset: 299n, records: records.map(({ offset, ops }) => ({ offset: BigInt(offset), ops: withKey(together, ops) })) });
    // One op per record: no two decayed counters ever apply together.
    const single = records.flatMap(({ ops }) => ops).map((op, index) => ({ offset: BigInt(index), ops: withKey(apart, [op]) }));
    await store.applyBatch({ offsetsKey: offsetsKey(apart, 0), field, lastOffset: BigInt(single.length - 1), records: single });
    const [a, b] = await Promise.all([redis.dumpBuffer(key(together, 'user:7:stats')), redis.dumpBuffer(key(apart, 'user:7:stats'))]);
    expect(Object.keys(await redis.hgetall(key(together, 'user:7:stats'))).length).toBeGreaterThan(10);
    expect(a?.toString('hex')).toBe(b?.toString('hex'));
  });

  it('zaddmax adds a member or raises its score but never lowers it (a late event keeps the newer time)', async () => {
    const version = freshVersion();
    const recent = key(version, 'user:5:recent');
    const ops: StateOp[] = [
      { kind: OpKind.ZAddMax, key: recent, member: '7', score: 2000 },
      { kind: OpKind.ZAddMax, key: recent, member: '7', score: 1000 },
      { kind: OpKind.ZAddMax, key: recent, member: '8', score: 1500 },
      { kind: OpKind.ZAddMax, key: recent, member: '8', score: 3000 },
    ];
    await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 0n, records: [{ offset: 0n, ops }] });
    expect(await redis.zrevrange(recent, 0, -1, 'WITHSCORES')).toEqual(['8', '3000', '7', '2000']);
  });

  it('refuses a batch read from beyond where the store stands (rolled back), with or without a stored offset, and says where to resume', async () => {
    const version = freshVersion();
    const op = (offset: bigint): RecordOps => ({ offset, ops: [{ kind: OpKind.HIncrBy, key: key(version, 'continuity'), field: 'n', by: 1 }] });
    const apply = (offset: bigint, readFrom: { offset: bigint; freshStart?: bigint }) => store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: offset, records: [op(offset)], readFrom });
    // No stored offset: a batch read from the partition's fresh start applies; one read from beyond it does not.
    await expect(apply(12n, { offset: 11n, freshStart: 10n })).rejects.toMatchObject({ code: 'REC_STATE_GAP', details: { resumeAt: '10' } });
    await apply(10n, { offset: 10n, freshStart: 10n });
    // A stored offset: stored + 1 is the only continuation.
    await expect(apply(12n, { offset: 12n, freshStart: 10n })).rejects.toMatchObject({ code: 'REC_STATE_GAP', details: { resumeAt: '11' } });
    await apply(11n, { offset: 11n, freshStart: 10n });
    // Rolled back to before the first apply: the offset is gone, and so is what it covered.
    await redis.del(offsetsKey(version, 0), key(version, 'continuity'));
    const refused = await apply(12n, { offset: 12n, freshStart: 10n }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'REC_STATE_GAP', retriable: true, details: { resumeAt: '10' } });
    expect((refused as Error).message).toContain('no stored offset (rolled back to before its first apply), batch read from 12; re-reading from 10');
    expect(await redis.hget(key(version, 'continuity'), 'n')).toBeNull();
    // Without a known fresh start (a start left to the group) nothing is checked.
    await apply(12n, { offset: 12n });
    expect(await redis.hget(key(version, 'continuity'), 'n')).toBe('1');
  });

  it('fences a stage that read state at an offset another writer has since moved', async () => {
    const version = freshVersion();
    const op = (offset: bigint): RecordOps => ({ offset, ops: [{ kind: OpKind.HIncrBy, key: key(version, 'fenced'), field: 'n', by: 1 }] });
    await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 3n, records: [op(3n)], expectedStoredOffset: 'none' });
    // A stale instance read at "never applied" and tries to apply after the live one moved to 3.
    const stale = await store
      .applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 5n, records: [op(4n), op(5n)], expectedStoredOffset: 'none' })
      .catch((error: unknown) => error);
    expect(stale).toMatchObject({ code: 'REC_STATE_OFFSET_MOVED', retriable: true });
    expect(await redis.hget(key(version, 'fenced'), 'n')).toBe('1');
    await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 5n, records: [op(4n), op(5n)], expectedStoredOffset: 3n });
    expect(await redis.hget(key(version, 'fenced'), 'n')).toBe('3');
  });

  it('any split into batches, with re-delivered batches, gives byte-identical state to one clean pass', async () => {
    const random = seededRandom(20261125);
    // Some events repeat an earlier event id (a re-sent source change): their guard drops them. Only
    // even offsets carry a guard, so the offset check alone must protect the odd ones on re-delivery.
    const events = [...Array(600).keys()].map((offset) => ({
      offset: BigInt(offset),
      eventId: `event-${Math.floor(offset / 3)}`,
      item: `item-${Math.floor(random() * 40)}`,
      weight: 0.1 + random() * 3, // floats: their sums depend on the order of additions
    }));
    const recordsFor = (version: StateVersion): RecordOps[] =>
      events.map(({ offset, eventId, item, weight }) => ({
        offset,
        ops: [
          ...(offset % 2n === 0n ? [{ kind: OpKind.Guard, key: key(version, 'seen'), id: eventId } as const] : []),
          { kind: OpKind.ZIncrBy, key: key(version, 'popularity'), member: item, by: weight },
          { kind: OpKind.HIncrByFloat, key: key(version, 'affinity'), field: item, by: weight / 7 },
          { kind: OpKind.LPushUniqueTrim, key: key(version, 'recent'), value: item, length: 10 },
          { kind: OpKind.ZKeepTop, key: key(version, 'popularity'), count: 25 },
        ],
      }));

    const clean = freshVersion();
    const cleanRecords = recordsFor(clean);
    await store.applyBatch({ offsetsKey: offsetsKey(clean, 0), field, lastOffset: 599n, records: cleanRecords });

    const crashy = freshVersion();
    const crashyRecords = recordsFor(crashy);
    let start = 0;
    while (start < crashyRecords.length) {
      const end = Math.min(crashyRecords.length, start + 1 + Math.floor(random() * 50));
      const batch = crashyRecords.slice(start, end);
      await store.applyBatch({ offsetsKey: offsetsKey(crashy, 0), field, lastOffset: batch.at(-1)!.offset, records: batch });
      // A crash after the apply but before Kafka's commit: the consumer re-reads from an earlier
      // offset, and the re-read batch runs past what was applied.
      if (random() < 0.3 && end < crashyRecords.length) {
        const rewind = Math.max(0, start - Math.floor(random() * 40));
        const rewoundEnd = Math.min(crashyRecords.length, end + 1 + Math.floor(random() * 20));
        const redelivered = crashyRecords.slice(rewind, rewoundEnd);
        await store.applyBatch({ offsetsKey: offsetsKey(crashy, 0), field, lastOffset: redelivered.at(-1)!.offset, records: redelivered });
        start = rewoundEnd;
      } else {
        start = end;
      }
    }

    const expected = await dumps(clean);
    expect(Object.keys(expected)).toHaveLength(5);
    expect(await dumps(crashy)).toEqual(expected);
  });
  it('chunked calls and dropped repeat deletes give the state of one record per call', async () => {
    const random = seededRandom(20261126);
    const chunked = createRedisStateStore(redis, { maxOpsPerCall: 25 });
    // Seen-set expiry as the processors do it: each record deletes the sets of days d-3 and d-2, then
    // guards on day d. Some events come days late and re-create a set a later record must delete again.
    let day = 10;
    const events = [...Array(400).keys()].map((offset) => {
      if (random() < 0.05) day += 1;
      const late = random() < 0.1 ? 2 + Math.floor(random() * 2) : 0;
      return { offset: BigInt(offset), day: day - late, eventId: `event-${Math.floor(offset / 2)}`, weight: 0.1 + random() };
    });
    const recordsFor = (version: StateVersion): RecordOps[] =>
      events.map(({ offset, day: eventDay, eventId, weight }) => ({
        offset,
        ops: [
          { kind: OpKind.Del, key: key(version, `seen:${eventDay - 3}`) },
          { kind: OpKind.Del, key: key(version, `seen:${eventDay - 2}`) },
          { kind: OpKind.Guard, key: key(version, `seen:${eventDay}`), id: eventId },
          { kind: OpKind.ZIncrBy, key: key(version, 'popularity'), member: `item-${eventDay}`, by: weight },
          // Trims and maxima the script may prove to be no-ops within one call: the state must not show it.
          { kind: OpKind.ZIncrBy, key: key(version, 'tags'), member: `tag-${Number(offset) % 7}`, by: weight },
          { kind: OpKind.ZKeepTop, key: key(version, 'tags'), count: 4 },
          { kind: OpKind.ZAddMax, key: key(version, 'recent'), member: `item-${Number(offset) % 9}`, score: eventDay * 1000 + Number(offset) },
          { kind: OpKind.ZKeepTop, key: key(version, 'recent'), count: 5 },
          { kind: OpKind.HSetMax, key: key(version, 'meta'), field: 'last', value: eventDay },
          // A decayed counter in the same hash (a write the HSetMax memory must forget), and a minimum.
          { kind: OpKind.HDecayAdd, key: key(version, 'meta'), field: 'rate', by: weight, time: eventDay * 86_400_000 + Number(offset), halfLifeMs: 3_600_000 },
          { kind: OpKind.HSetMin, key: key(version, 'meta'), field: 'first', value: eventDay },
          // An element added again (the script skips the PFADD), also right after the HyperLogLog was deleted.
          { kind: OpKind.PfAdd, key: key(version, 'days'), element: String(eventDay) },
          ...(offset % 50n === 0n
            ? [
                { kind: OpKind.Del, key: key(version, 'recent') } as const,
                { kind: OpKind.HSet, key: key(version, 'meta'), field: 'last', value: '0' } as const,
                { kind: OpKind.PfAdd, key: key(version, 'days'), element: `once-${offset}` } as const,
                { kind: OpKind.Del, key: key(version, 'days') } as const,
                { kind: OpKind.PfAdd, key: key(version, 'days'), element: `once-${offset}` } as const,
              ]
            : []),
        ],
      }));

    const reference = freshVersion();
    for (const record of recordsFor(reference)) {
      await store.applyBatch({ offsetsKey: offsetsKey(reference, 0), field, lastOffset: record.offset, records: [record] });
    }
    const oneBatch = freshVersion();
    const result = await chunked.applyBatch({ offsetsKey: offsetsKey(oneBatch, 0), field, lastOffset: 399n, records: recordsFor(oneBatch) });
    expect(result.storedOffset).toBe(399n);

    const crashy = freshVersion();
    const crashyRecords = recordsFor(crashy);
    let start = 0;
    while (start < crashyRecords.length) {
      const end = Math.min(crashyRecords.length, start + 1 + Math.floor(random() * 60));
      await chunked.applyBatch({ offsetsKey: offsetsKey(crashy, 0), field, lastOffset: crashyRecords[end - 1]!.offset, records: crashyRecords.slice(start, end) });
      const rewind = random() < 0.3 ? Math.max(0, start - Math.floor(random() * 40)) : end;
      if (rewind < end) {
        const redelivered = crashyRecords.slice(rewind, Math.min(crashyRecords.length, end + 1 + Math.floor(random() * 20)));
        await chunked.applyBatch({ offsetsKey: offsetsKey(crashy, 0), field, lastOffset: redelivered.at(-1)!.offset, records: redelivered });
        start = Number(redelivered.at(-1)!.offset) + 1;
      } else {
        start = end;
      }
    }

    const expected = await dumps(reference);
    expect(Object.keys(expected).length).toBeGreaterThan(3);
    expect(await dumps(oneBatch)).toEqual(expected);
    expect(await dumps(crashy)).toEqual(expected);
  });

  it('an element added to a HyperLogLog again is skipped only while the script knows the key holds it', async () => {
    const opsFor = (version: StateVersion): StateOp[] => {
      const days = key(version, 'days');
      return [
        { kind: OpKind.PfAdd, key: days, element: 'a' },
        { kind: OpKind.PfAdd, key: days, element: 'a' },
        { kind: OpKind.Del, key: days },
        { kind: OpKind.PfAdd, key: days, element: 'a' },
        { kind: OpKind.PfAdd, key: days, element: 'b' },
        { kind: OpKind.PfAdd, key: days, element: 'a' },
      ];
    };
    const together = freshVersion();
    await store.applyBatch({ offsetsKey: offsetsKey(together, 0), field, lastOffset: 0n, records: [{ offset: 0n, ops: opsFor(together) }] });
    // One call per op: nothing remembered from one op to the next.
    const apart = freshVersion();
    for (const [index, op] of opsFor(apart).entries()) {
      await store.applyBatch({ offsetsKey: offsetsKey(apart, 0), field, lastOffset: BigInt(index), records: [{ offset: BigInt(index), ops: [op] }] });
    }
    const [a, b] = await Promise.all([redis.dumpBuffer(key(together, 'days')), redis.dumpBuffer(key(apart, 'days'))]);
    expect(a).not.toBeNull();
    expect(a?.toString('hex')).toBe(b?.toString('hex'));
    expect(await redis.pfcount(key(together, 'days'))).toBe(2);
  });

  it('dedup sweeps every expired seen-set, late events\' too, exactly as the in-memory model does, in any chunking', async () => {
    const random = seededRandom(20261206);
    const chunked = createRedisStateStore(redis, { maxOpsPerCall: 7 });
    const retentionDays = 3;
    // Mostly in order over ~40 days, one event in 8 up to 30 days late, one in 5 a re-sent earlier event.
    const events: { id: string; day: number }[] = [];
    for (let offset = 0; offset < 500; offset += 1) {
      const repeat = events.length > 0 && random() < 0.2 ? events[Math.floor(random() * events.length)] : undefined;
      const late = random() < 0.125 ? Math.floor(random() * 30) : 0;
      events.push(repeat ?? { id: `event-${offset}`, day: 20_000 + Math.floor(offset / 12) - late });
    }
    const recordsFor = (version: StateVersion): RecordOps[] =>
      events.map(({ id, day }, offset) => ({
        offset: BigInt(offset),
        ops: [
          { kind: OpKind.Dedup, key: key(version, `seen:${day}:stage`), id, registry: key(version, 'seen-expiry:stage:days'), member: String(day), day, retentionDays },
          { kind: OpKind.HIncrBy, key: key(version, 'counts'), field: id, by: 1 },
        ],
      }));

    const reference = freshVersion();
    const memory = createMemoryState();
    const setKeys = [...new Set(events.map(({ day }) => key(reference, `seen:${day}:stage`)))].sort();
    for (const record of recordsFor(reference)) {
      await store.applyBatch({ offsetsKey: offsetsKey(reference, 0), field, lastOffset: record.offset, records: [record] });
      memory.applyBatch(offsetsKey(reference, 0), field, [record]);
      // After every record the store holds exactly the model's seen-sets (late ones swept too) and counts.
      const exists = await Promise.all(setKeys.map((name) => redis.exists(name)));
      expect(setKeys.filter((_, index) => exists[index] === 1), `offset ${record.offset}`).toEqual(memory.keys().filter((name) => name.includes(':seen:')).sort());
    }
    expect(await redis.hgetall(key(reference, 'counts'))).toEqual(Object.fromEntries(events.filter(({ id }) => memory.hget(key(reference, 'counts'), id) !== undefined).map(({ id }) => [id, memory.hget(key(reference, 'counts'), id)])));
    const scores = (flat: string[]): Record<string, string> => Object.fromEntries(flat.flatMap((value, index) => (index % 2 === 0 ? [[value, flat[index + 1] ?? '']] : [])));
    const registry = key(reference, 'seen-expiry:stage:days');
    expect(scores(await redis.zrange(registry, 0, -1, 'WITHSCORES'))).toEqual(scores(memory.zrevrangeWithScores(registry)));
    const counted = Object.values(await redis.hgetall(key(reference, 'counts'))).map(Number);
    expect(counted.some((count) => count > 1)).toBe(true); // re-sent events older than the window count again
    expect(counted.length).toBeLessThan(events.length); // ...and those inside it do not
    expect((await scanKeys(redis, `sr:${reference}:{p0}:seen:*`)).length).toBeLessThanOrEqual(retentionDays + 30);

    const crashy = freshVersion();
    const crashyRecords = recordsFor(crashy);
    let start = 0;
    while (start < crashyRecords.length) {
      const end = Math.min(crashyRecords.length, start + 1 + Math.floor(random() * 60));
      await chunked.applyBatch({ offsetsKey: offsetsKey(crashy, 0), field, lastOffset: crashyRecords[end - 1]!.offset, records: crashyRecords.slice(start, end) });
      const rewind = random() < 0.3 ? Math.max(0, start - Math.floor(random() * 40)) : end;
      if (rewind < end) {
        const redelivered = crashyRecords.slice(rewind, Math.min(crashyRecords.length, end + 1 + Math.floor(random() * 20)));
        await chunked.applyBatch({ offsetsKey: offsetsKey(crashy, 0), field, lastOffset: redelivered.at(-1)!.offset, records: redelivered });
        start = Number(redelivered.at(-1)!.offset) + 1;
      } else {
        start = end;
      }
    }
    const crashyDumps = await dumps(crashy);
    const referenceDumps = await dumps(reference);
    expect(crashyDumps).toEqual(referenceDumps);
  });

  it('a chunk never applies after the chunk before it failed', async () => {
    const version = freshVersion();
    const chunked = createRedisStateStore(redis, { maxOpsPerCall: 1 });
    const op = (offset: bigint): RecordOps => ({ offset, ops: [{ kind: OpKind.HIncrBy, key: key(version, 'n'), field: 'n', by: 1 }] });
    await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 3n, records: [op(3n)] });
    // Fenced on "never applied": the first chunk is refused, so the second must not apply either.
    const refused = await chunked
      .applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 6n, records: [op(4n), op(5n), op(6n)], expectedStoredOffset: 'none' })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'REC_STATE_OFFSET_MOVED', retriable: true });
    expect(await redis.hget(key(version, 'n'), 'n')).toBe('1');
    expect(await store.storedOffset(offsetsKey(version, 0), field)).toBe(3n);
    await chunked.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 6n, records: [op(4n), op(5n), op(6n)], expectedStoredOffset: 3n });
    expect(await redis.hget(key(version, 'n'), 'n')).toBe('4');
  });

  it('a write that fails after others (Redis keeps them) marks the partition: REC_STATE_PARTIAL, not retried, later batches refused', async () => {
    const version = freshVersion();
    const counts = key(version, 'user:1:counts');
    const notAHash = key(version, 'not-a-hash');
    await redis.set(notAHash, 'a string where a hash is expected');
    const records: RecordOps[] = [
      { offset: 10n, ops: [{ kind: OpKind.HIncrBy, key: counts, field: 'view', by: 1 }] },
      { offset: 11n, ops: [{ kind: OpKind.HIncrBy, key: notAHash, field: 'view', by: 1 }] },
    ];
    const failed = await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 11n, records }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'REC_STATE_PARTIAL', retriable: false });
    expect((failed as Error).message).toMatch(/records 10\.\.11 of a batch ending at 11, after 1 ops: .*WRONGTYPE.*npm run replay/);
    // The first write stays (Redis has no rollback); the offset did not move, and nothing applies on top.
    expect(await redis.hget(counts, 'view')).toBe('1');
    expect(await store.storedOffset(offsetsKey(version, 0), field)).toBeUndefined();
    await redis.del(notAHash);
    const retried = await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 11n, records }).catch((error: unknown) => error);
    expect(retried).toMatchObject({ code: 'REC_STATE_PARTIAL', retriable: false });
    expect(await redis.hget(counts, 'view')).toBe('1');
    // Other partitions and fields are not affected.
    await store.applyBatch({ offsetsKey: offsetsKey(version, 1), field, lastOffset: 0n, records: [{ offset: 0n, ops: [{ kind: OpKind.HIncrBy, key: key(version, 'p1'), field: 'n', by: 1 }] }] });
    expect(await redis.hget(key(version, 'p1'), 'n')).toBe('1');
  });

  it('increments grouped on one hash refuse a field that is not an integer, as HINCRBY does, before writing any of them', async () => {
    const version = freshVersion();
    const stats = key(version, 'user:3:stats');
    const records: RecordOps[] = [
      {
        offset: 0n,
        ops: [
          { kind: OpKind.HIncrBy, key: stats, field: 'price_n', by: 1 },
          { kind: OpKind.HSetMax, key: stats, field: 'price_max', value: 12 },
          { kind: OpKind.HIncrBy, key: stats, field: 'free_n', by: 1 },
        ],
      },
    ];
    for (const held of ['1.5', '007', 'x']) {
      await redis.hset(stats, 'free_n', held);
      const failed = await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 0n, records }).catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: 'REC_DEPENDENCY_UNAVAILABLE', retriable: true });
      expect((failed as Error).message).toMatch(/REC_STATE_APPLY_FAILED .*not an integer/);
      expect(await redis.hgetall(stats)).toEqual({ free_n: held });
      // Redis's own HINCRBY refuses the same values.
      await expect(redis.hincrby(stats, 'free_n', 1)).rejects.toThrow(/not an integer/);
    }
    await redis.hset(stats, 'free_n', '-4');
    await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 0n, records });
    expect(await redis.hgetall(stats)).toEqual({ free_n: '-3', price_n: '1', price_max: '12' });
  });

  it('a failure before any write is retriable and leaves no mark: the retry applies the batch once', async () => {
    const version = freshVersion();
    const target = key(version, 'counts');
    await redis.set(target, 'wrong type');
    const records: RecordOps[] = [{ offset: 0n, ops: [{ kind: OpKind.HIncrBy, key: target, field: 'view', by: 1 }] }];
    const failed = await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 0n, records }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'REC_DEPENDENCY_UNAVAILABLE', retriable: true });
    expect((failed as Error).message).toMatch(/REC_STATE_APPLY_FAILED .*WRONGTYPE/);
    await redis.del(target);
    expect(await store.applyBatch({ offsetsKey: offsetsKey(version, 0), field, lastOffset: 0n, records })).toEqual({ applied: 1, skipped: 0, storedOffset: 0n });
    expect(await redis.hget(target, 'view')).toBe('1');
  });
});

