import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { createEventCodec } from '@streamrec/schemas/avro';
import { ItemActivityKind, itemIdOf, userIdOf, type ItemActivityRecord } from '../domain/index.js';
import { itemActivityFromWire, itemActivityToWire } from './item-activity-wire.js';

const item = itemIdOf('42');
const user = userIdOf('1001');
const records: ItemActivityRecord[] = [
  { kind: ItemActivityKind.Activity, dedupId: 'activity:e1', item, eventTime: 1_000, eventId: 'e1', user, action: 'click', requestId: null, catalogued: false, industry: null, tags: [] },
  { kind: ItemActivityKind.CoItems, dedupId: 'co:e2', item, eventTime: 2_000, eventId: 'e2', user, neighbours: [{ item: itemIdOf('7'), cooccurrence: 0.5, transition: 0.25 }] },
  { kind: ItemActivityKind.Exposure, dedupId: 'exp:r1:42', item, eventTime: 3_000, requestId: 'r1', user, position: 2 },
  { kind: ItemActivityKind.Availability, dedupId: 'av:42:9', item, eventTime: 4_000, available: false, deleted: false, industry: 'finance', tags: ['rates'], sourceVersion: 9 },
];

describe('item activity on the wire', () => {
  const codec = createEventCodec('repartition.item-activity.v1');

  it.each(records)('a $kind record survives Avro encoding unchanged', (record) => {
    expect(itemActivityFromWire(codec.decode(codec.encode(itemActivityToWire(record))))).toEqual(record);
  });

  it('skips a kind this reader does not know instead of failing', () => {
    expect(itemActivityFromWire({ ...itemActivityToWire(records[2]!), kind: 'future-kind' })).toBeUndefined();
  });

  it('rejects a known kind whose payload is missing as an invalid payload', () => {
    const wire = { ...itemActivityToWire(records[0]!), activity: null };
    expect(() => itemActivityFromWire(wire)).toThrow(expect.objectContaining({ code: ErrorCode.PayloadInvalid }) as Error);
  });

  it('rejects an activity with an unknown action', () => {
    const wire = itemActivityToWire(records[0]!);
    try {
      itemActivityFromWire({ ...wire, activity: { ...wire.activity!, action: 'teleport' } });
      expect.unreachable('should throw');
    } catch (error) {
      expect(isAppError(error, ErrorCode.PayloadInvalid)).toBe(true);
    }
  });
});
