import { describe, expect, it } from 'vitest';
import { OpKind } from '@streamrec/foundation';
import { ItemActivityKind, forwardDecayedIncrement, itemIdOf, userIdOf, type ActivityRecord, type AvailabilityRecord, type ExposureRecord } from '@streamrec/streams-common';
import { defaultFeaturesParams as params } from './features-params.js';
import { featuresItemStage } from './item-stage.js';
import { NOV_25, itemContext } from './test-fixtures.js';

const context = itemContext('7');
const p = `{p${context.partition}}`;
const activity = (overrides: Partial<ActivityRecord> = {}): ActivityRecord => ({
  kind: ItemActivityKind.Activity,
  dedupId: 'activity:e1',
  item: itemIdOf(7),
  eventTime: NOV_25,
  eventId: 'e1',
  user: userIdOf('42'),
  action: 'download',
  requestId: null,
  catalogued: true,
  industry: 'finance',
  tags: ['stock'],
  ...overrides,
});

describe('features item stage', () => {
  it('guards on the record’s dedup id in the item partition’s seen-set of the event day', () => {
    const ops = featuresItemStage(activity(), context, params);
    expect(ops).toContainEqual(expect.objectContaining({ kind: OpKind.Dedup, key: `sr:v1:${p}:seen:20261125:features-item`, id: 'activity:e1' }));
    expect(ops.findIndex((op) => op.kind === OpKind.Dedup)).toBeLessThan(ops.findIndex((op) => op.kind === OpKind.HIncrBy));
  });

  it('counts the action, adds the user to the distinct-user HLL and decayed popularity to the partition list', () => {
    const ops = featuresItemStage(activity(), context, params);
    expect(ops).toContainEqual({ kind: OpKind.HIncrBy, key: `sr:v1:${p}:item:7:counts`, field: 'download', by: 1 });
    expect(ops).toContainEqual({ kind: OpKind.PfAdd, key: `sr:v1:${p}:item:7:users`, element: '42' });
    expect(ops).toContainEqual({
      kind: OpKind.ZIncrBy,
      key: `sr:v1:${p}:popularity:all:decayed`,
      member: '7',
      by: forwardDecayedIncrement(3, NOV_25, { halfLifeMs: params.popularityHalfLifeMs, epochMs: params.decayEpochMs }),
    });
  });

  it('counts a click toward CTR only when it came from a recommendation request', () => {
    const clicks = (record: ActivityRecord) => featuresItemStage(record, context, params).filter((op) => op.kind === OpKind.HIncrBy && op.field === 'clicks');
    expect(clicks(activity({ action: 'click', requestId: 'r-9' }))).toEqual([{ kind: OpKind.HIncrBy, key: `sr:v1:${p}:item:7:ctr`, field: 'clicks', by: 1 }]);
    expect(clicks(activity({ action: 'click' }))).toEqual([]);
    expect(clicks(activity({ action: 'view', requestId: 'r-9' }))).toEqual([]);
  });

  it('counts an exposure toward the CTR denominator, once per request position', () => {
    const exposure: ExposureRecord = { kind: ItemActivityKind.Exposure, dedupId: 'exposure:r-9:3', item: itemIdOf(7), eventTime: NOV_25, requestId: 'r-9', user: userIdOf('42'), position: 3 };
    const ops = featuresItemStage(exposure, context, params);
    expect(ops.at(-2)).toEqual(expect.objectContaining({ kind: OpKind.Dedup, key: `sr:v1:${p}:seen:20261125:features-item`, id: 'exposure:r-9:3' }));
    expect(ops.at(-1)).toEqual({ kind: OpKind.HIncrBy, key: `sr:v1:${p}:item:7:ctr`, field: 'exposures', by: 1 });
  });

  it('removes an unavailable or deleted item from the popularity list and ignores an available one', () => {
    const availability = (available: boolean, deleted: boolean): AvailabilityRecord => ({
      kind: ItemActivityKind.Availability,
      dedupId: 'availability:7:2',
      item: itemIdOf(7),
      eventTime: NOV_25,
      available,
      deleted,
      industry: 'finance',
      tags: ['stock'],
      sourceVersion: 2,
    });
    const removal = [{ kind: OpKind.ZRem, key: `sr:v1:${p}:popularity:all:decayed`, member: '7' }];
    const notDedup = (ops: readonly { key: string }[]): unknown[] => ops.filter((op) => !op.key.includes(':seen:'));
    for (const ops of [featuresItemStage(availability(false, false), context, params), featuresItemStage(availability(false, true), context, params)]) {
      expect(notDedup(ops)).toEqual(removal);
      // Guarded: a re-sent removal must not remove the activity that came after it.
      expect(ops).toContainEqual(expect.objectContaining({ kind: OpKind.Dedup, id: 'availability:7:2' }));
    }
    expect(featuresItemStage(availability(true, false), context, params)).toEqual([]);
  });

  it('refuses a record of an item another partition owns', () => {
    expect(() => featuresItemStage(activity(), { ...context, partition: (context.partition + 1) % 6 }, params)).toThrow(/belongs to partition/);
  });
});
