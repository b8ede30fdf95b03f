import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { createEventCodec } from './avro-codec.js';
import type { ItemActivityWire } from './event-types.js';

const none = { activity: null, co_items: null, exposure: null, availability: null };

const activity: ItemActivityWire = {
  ...none,
  kind: 'activity',
  dedup_id: 'activity:matomo:lva:1',
  item: '42',
  event_time: 1_764_064_800_000,
  activity: { event_id: 'matomo:lva:1', user: 'anon:0123456789abcdef', action: 'click', request_id: 'req-1', catalogued: true, industry: 'finance', tags: ['rates', 'daily'] },
};

const coItems: ItemActivityWire = {
  ...none,
  kind: 'co-items',
  dedup_id: 'co:shop:o:1',
  item: '7',
  event_time: 1_764_064_800_001,
  co_items: { event_id: 'shop:o:1', user: '1001', neighbours: [{ item: '8', cooccurrence: 0.123456789012345, transition: 0 }] },
};

const exposure: ItemActivityWire = { ...none, kind: 'exposure', dedup_id: 'exp:r:3', item: '9', event_time: 1, exposure: { request_id: 'r', user: 'u', position: 3 } };

const availability: ItemActivityWire = {
  ...none,
  kind: 'availability',
  dedup_id: 'av:9:5',
  item: '9',
  event_time: 2,
  availability: { available: false, deleted: true, industry: 'energy', tags: [], source_version: 2 ** 40 + 17 },
};

describe('repartition.item-activity.v1 codec', () => {
  const codec = createEventCodec('repartition.item-activity.v1');

  it.each([activity, coItems, exposure, availability])('round-trips a $kind record unchanged', (value) => {
    expect(codec.decode(codec.encode(value))).toEqual(value);
  });

  it('refuses to encode a record whose payload does not match its schema', () => {
    const broken = { ...exposure, exposure: { request_id: 'r', user: 'u', position: 1.5 } };
    try {
      codec.encode(broken);
      expect.unreachable('encode should throw');
    } catch (error) {
      expect(isAppError(error, ErrorCode.PayloadInvalid)).toBe(true);
    }
  });
});
