import { describe, expect, it } from 'vitest';
import { OpKind } from '@streamrec/foundation';
import { ItemActivityKind, itemIdOf, userIdOf, type AvailabilityRecord, type CoItemsRecord } from '@streamrec/streams-common';
import { defaultCooccurrenceParams as params } from './cooccurrence-params.js';
import { cooccurrenceItemStage } from './item-stage.js';
import { T0, itemContext } from './test-fixtures.js';

const context = itemContext('7');
const p = `{p${context.partition}}`;
const coItems: CoItemsRecord = {
  kind: ItemActivityKind.CoItems,
  dedupId: 'co-items:e1:7',
  item: itemIdOf(7),
  eventTime: T0,
  eventId: 'e1',
  user: userIdOf('42'),
  neighbours: [
    { item: itemIdOf(3), cooccurrence: 2.5, transition: 0 },
    { item: itemIdOf(5), cooccurrence: 2.5, transition: 2.5 },
  ],
};

describe('cooccurrence item stage', () => {
  it('increments the neighbour sets after the dedup guard and trims each to the top K', () => {
    const ops = cooccurrenceItemStage(coItems, context, params);
    const guard = ops.findIndex((op) => op.kind === OpKind.Dedup);
    expect(ops[guard]).toEqual(expect.objectContaining({ kind: OpKind.Dedup, key: `sr:v1:${p}:seen:20261125:cooccurrence-item`, id: 'co-items:e1:7' }));
    expect(ops.slice(guard + 1)).toEqual([
      { kind: OpKind.ZIncrBy, key: `sr:v1:${p}:item:7:cooc`, member: '3', by: 2.5 },
      { kind: OpKind.ZIncrBy, key: `sr:v1:${p}:item:7:cooc`, member: '5', by: 2.5 },
      { kind: OpKind.ZIncrBy, key: `sr:v1:${p}:item:7:trans`, member: '5', by: 2.5 },
      { kind: OpKind.ZKeepTop, key: `sr:v1:${p}:item:7:cooc`, count: 200 },
      { kind: OpKind.ZKeepTop, key: `sr:v1:${p}:item:7:trans`, count: 200 },
    ]);
  });

  it('records who touched the item lately, capped, for the similar-user index', () => {
    const ops = cooccurrenceItemStage(
      { kind: ItemActivityKind.Activity, dedupId: 'activity:e1', item: itemIdOf(7), eventTime: T0, eventId: 'e1', user: userIdOf('42'), action: 'view', requestId: null, catalogued: false, industry: null, tags: [] },
      context,
      params,
    );
    expect(ops.slice(-2)).toEqual([
      { kind: OpKind.ZAddMax, key: `sr:v1:${p}:item:7:recent-users`, member: '42', score: T0 },
      { kind: OpKind.ZKeepTop, key: `sr:v1:${p}:item:7:recent-users`, count: 100 },
    ]);
  });

  it('drops a deleted item’s own sets and keeps an unavailable item’s (still a useful seed)', () => {
    const change = (deleted: boolean): AvailabilityRecord => ({ kind: ItemActivityKind.Availability, dedupId: 'availability:7:3', item: itemIdOf(7), eventTime: T0, available: false, deleted, industry: 'finance', tags: [], sourceVersion: 3 });
    const deleted = cooccurrenceItemStage(change(true), context, params);
    expect(deleted.filter((op) => !op.key.includes(':seen:'))).toEqual(['cooc', 'trans', 'recent-users'].map((facet) => ({ kind: OpKind.Del, key: `sr:v1:${p}:item:7:${facet}` })));
    expect(deleted).toContainEqual(expect.objectContaining({ kind: OpKind.Dedup, id: 'availability:7:3' }));
    expect(cooccurrenceItemStage(change(false), context, params)).toEqual([]);
  });
});
