import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, OpKind, isAppError, partitionForKey, type StateOp } from '@streamrec/foundation';
import { ITEM_ACTIVITY_TOPIC, forwardDecayedIncrement } from '@streamrec/streams-common';
import { defaultFeaturesParams as params } from './features-params.js';
import { NOV_25, catalogue, interaction, userContext, weatherItem } from './test-fixtures.js';
import { featuresUserStage } from './user-stage.js';

const context = userContext('42');
const p = `{p${context.partition}}`;
const known = catalogue({ 7: weatherItem });
const unknown = catalogue({});
const opsOfKind = (ops: readonly StateOp[], kind: StateOp['kind']) => ops.filter((op) => op.kind === kind);

afterEach(() => {
  vi.useRealTimers();
});

describe('features user stage', () => {
  it('guards a stitched copy and a direct attribution of the same source interaction as one', () => {
    // A rebuilt normaliser may attribute the interaction directly where the first one stitched it.
    const direct = featuresUserStage(interaction({ event_id: 'matomo:lva:9' }), context, params, known).ops.find((op) => op.kind === OpKind.Dedup);
    const stitched = featuresUserStage(interaction({ event_id: 'stitch:42:matomo:lva:9' }), context, params, known).ops.find((op) => op.kind === OpKind.Dedup);
    expect(stitched).toEqual(direct);
  });

  it('starts with the dedup on the event-time day seen-set, registered with the stage and partition', () => {
    const { ops } = featuresUserStage(interaction({ event_time: Date.UTC(2026, 10, 25, 23, 30) }), context, params, known);
    expect(ops[0]).toEqual({
      kind: OpKind.Dedup,
      key: `sr:v1:${p}:seen:20261125:features-user`,
      id: '42|matomo:lva:1',
      registry: `sr:v1:${p}:seen-expiry:features-user:days`,
      member: '20261125',
      day: Math.floor(Date.UTC(2026, 10, 25) / 86_400_000),
      retentionDays: params.dedup.retentionDays,
    });
  });

  it('counts the action, raises last activity and pushes the item onto the bounded recent list', () => {
    const { ops } = featuresUserStage(interaction({ action: 'cart' }), context, params, known);
    expect(ops).toContainEqual({ kind: OpKind.HIncrBy, key: `sr:v1:${p}:user:42:counts`, field: 'cart', by: 1 });
    expect(ops).toContainEqual({ kind: OpKind.HSetMax, key: `sr:v1:${p}:user:42:meta`, field: 'last_event_ms', value: NOV_25 });
    expect(ops).toContainEqual({ kind: OpKind.ZAddMax, key: `sr:v1:${p}:user:42:recent`, member: '7', score: NOV_25 });
    expect(ops).toContainEqual({ kind: OpKind.ZKeepTop, key: `sr:v1:${p}:user:42:recent`, count: params.recentItems });
  });

  it('keeps decayed counts per window and per action, the first event time, active days, sessions and price sums', () => {
    const { ops } = featuresUserStage(interaction({ action: 'download', item_id: 7, session_id: 'matomo:visit:77' }), context, params, known);
    const stats = `sr:v1:${p}:user:42:stats`;
    expect(opsOfKind(ops, OpKind.HDecayAdd)).toEqual([
      { kind: OpKind.HDecayAdd, key: stats, field: 'events_1h', by: 1, time: NOV_25, halfLifeMs: 3_600_000 },
      { kind: OpKind.HDecayAdd, key: stats, field: 'events_24h', by: 1, time: NOV_25, halfLifeMs: 86_400_000 },
      { kind: OpKind.HDecayAdd, key: stats, field: 'events_7d', by: 1, time: NOV_25, halfLifeMs: 604_800_000 },
      { kind: OpKind.HDecayAdd, key: stats, field: 'download_7d', by: 1, time: NOV_25, halfLifeMs: 604_800_000 },
    ]);
    expect(opsOfKind(ops, OpKind.HSetMin)).toEqual([{ kind: OpKind.HSetMin, key: stats, field: 'first_event_ms', value: NOV_25 }]);
    expect(opsOfKind(ops, OpKind.PfAdd)).toEqual([
      { kind: OpKind.PfAdd, key: `sr:v1:${p}:user:42:days`, element: String(Math.floor(NOV_25 / 86_400_000)) },
      { kind: OpKind.PfAdd, key: `sr:v1:${p}:user:42:sessions`, element: 'matomo:visit:77' },
    ]);
    expect(ops).toContainEqual({ kind: OpKind.HIncrByFloat, key: stats, field: 'price_sum', by: 120 });
    expect(ops).toContainEqual({ kind: OpKind.HSetMax, key: stats, field: 'price_max', value: 120 });
    expect(ops.some((op) => op.kind === OpKind.HIncrBy && op.field === 'free_n')).toBe(false);
    // Without a session id or a catalogue entry: no session element, no price sums.
    const bare = featuresUserStage(interaction({ item_id: 9, session_id: null }), context, params, unknown).ops;
    expect(opsOfKind(bare, OpKind.PfAdd)).toHaveLength(1);
    expect(bare.some((op) => 'field' in op && op.field.startsWith('price'))).toBe(false);
  });

  it('writes a purchase\'s stats hash as its float sums, then one run of the other ops (one HMGET and one HSET in Redis)', () => {
    const stats = `sr:v1:${p}:user:42:stats`;
    const { ops } = featuresUserStage(interaction({ action: 'purchase', session_id: 'matomo:visit:77' }), context, params, known);
    const onStats = ops.flatMap((op, index) => (op.key === stats ? [index] : []));
    // Consecutive: nothing on another key in between.
    expect(onStats.at(-1)! - onStats[0]! + 1).toBe(onStats.length);
    const kinds = onStats.map((index) => ops[index]!.kind);
    expect(kinds.slice(0, 2)).toEqual([OpKind.HIncrByFloat, OpKind.HIncrByFloat]);
    const oneRead: readonly OpKind[] = [OpKind.HDecayAdd, OpKind.HIncrBy, OpKind.HSetMax, OpKind.HSetMin];
    expect(kinds.slice(2).every((kind) => oneRead.includes(kind))).toBe(true);
    const fields = onStats.map((index) => (ops[index] as { field: string }).field);
    expect(new Set(fields).size).toBe(fields.length);
  });

  it('remembers purchases on their own bounded list, and only purchases', () => {
    const purchased = `sr:v1:${p}:user:42:purchased`;
    const { ops } = featuresUserStage(interaction({ action: 'purchase' }), context, params, known);
    expect(ops).toContainEqual({ kind: OpKind.ZAddMax, key: purchased, member: '7', score: NOV_25 });
    expect(ops).toContainEqual({ kind: OpKind.ZKeepTop, key: purchased, count: params.purchasedItems });
    const viewed = featuresUserStage(interaction({ action: 'cart' }), context, params, known).ops;
    expect(viewed.some((op) => 'key' in op && op.key === purchased)).toBe(false);
  });

  it('adds forward-decayed affinity: split over unique tags, whole to industry and price bucket', () => {
    const { ops } = featuresUserStage(interaction({ action: 'purchase' }), context, params, known);
    const increment = forwardDecayedIncrement(10, NOV_25, { halfLifeMs: params.affinityHalfLifeMs, epochMs: params.decayEpochMs });
    expect(opsOfKind(ops, OpKind.ZIncrBy)).toEqual([
      { kind: OpKind.ZIncrBy, key: `sr:v1:${p}:user:42:tag-affinity`, member: 'weather', by: increment / 2 },
      { kind: OpKind.ZIncrBy, key: `sr:v1:${p}:user:42:tag-affinity`, member: 'daily', by: increment / 2 },
      { kind: OpKind.ZIncrBy, key: `sr:v1:${p}:user:42:industry-affinity`, member: 'agriculture', by: increment },
      { kind: OpKind.ZIncrBy, key: `sr:v1:${p}:user:42:price-affinity`, member: 'lt-200', by: increment },
    ]);
    expect(ops).toContainEqual({ kind: OpKind.ZKeepTop, key: `sr:v1:${p}:user:42:tag-affinity`, count: params.maxTagsPerUser });
  });

  it('an item the catalogue does not know gets counts and recency but no affinity', () => {
    const { ops, repartition } = featuresUserStage(interaction(), context, params, unknown);
    expect(opsOfKind(ops, OpKind.ZIncrBy)).toEqual([]);
    expect(ops.some((op) => op.kind === OpKind.HIncrBy && op.field === 'view')).toBe(true);
    expect(ops.some((op) => op.kind === OpKind.ZAddMax)).toBe(true);
    expect(repartition[0]?.value).toMatchObject({ kind: 'activity', catalogued: false, industry: null, tags: [] });
  });

  it('emits one activity record keyed by the item, on the item’s murmur2 partition', () => {
    const { repartition } = featuresUserStage(interaction({ item_id: 1234, request_id: 'req-1', action: 'click' }), context, params, catalogue({ 1234: weatherItem }));
    expect(repartition).toEqual([
      {
        topic: ITEM_ACTIVITY_TOPIC,
        key: '1234',
        partition: partitionForKey('1234', 6),
        value: {
          kind: 'activity',
          dedupId: 'activity:matomo:lva:1',
          item: '1234',
          eventTime: NOV_25,
          eventId: 'matomo:lva:1',
          user: '42',
          action: 'click',
          requestId: 'req-1',
          catalogued: true,
          industry: 'agriculture',
          tags: ['weather', 'daily'],
        },
      },
    ]);
  });

  it('a stitched copy of an anonymous interaction counts for the user but not again for the item', () => {
    const stitched = interaction({ event_id: 'stitch:42:matomo:lva:9' });
    const { ops, repartition } = featuresUserStage(stitched, context, params, known);
    expect(ops).toContainEqual({ kind: OpKind.HIncrBy, key: `sr:v1:${p}:user:42:counts`, field: 'view', by: 1 });
    expect(repartition).toEqual([]);
    expect(featuresUserStage(interaction(), context, params, known).repartition).toHaveLength(1);
  });

  it('gives the same ops for the same input whatever the wall clock says', () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2030, 0, 1));
    const first = featuresUserStage(interaction(), context, params, known);
    vi.setSystemTime(Date.UTC(2026, 0, 2));
    const second = featuresUserStage(interaction(), context, params, known);
    expect(second).toEqual(first);
    expect(JSON.stringify(first)).not.toContain(String(Date.UTC(2030, 0, 1)));
  });

  it('asks the catalogue as of the event time', () => {
    const asked: number[] = [];
    featuresUserStage(interaction(), context, params, (_item, asOf) => {
      asked.push(asOf);
      return undefined;
    });
    expect(asked).toEqual([NOV_25]);
  });

  it('rejects a user routed to another partition and an event time ahead of its ingest time', () => {
    const wrong = { ...context, partition: (context.partition + 1) % 6 };
    const codeOf = (run: () => unknown): unknown => {
      try {
        run();
      } catch (error) {
        return isAppError(error) ? error.code : error;
      }
      return 'no error';
    };
    expect(codeOf(() => featuresUserStage(interaction(), wrong, params, known))).toBe(ErrorCode.PayloadInvalid);
    expect(codeOf(() => featuresUserStage(interaction({ ingest_time: NOV_25 - 3_600_000 }), context, params, known))).toBe(ErrorCode.PayloadInvalid);
  });
});
