import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { AvroCodec, createEventCodec } from './avro-codec.js';
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

  it.each([activity, coItems, exposure, availability])('reads the kind of a $kind record from its bytes without decoding it', (value) => {
    expect(codec.peekLeadingString(codec.encode(value))).toBe(value.kind);
  });

  it('reads a kind whose length takes two varint bytes, and any UTF-8 in it', () => {
    const kind = `künftig-${'x'.repeat(70)}`;
    expect(codec.peekLeadingString(codec.encode({ ...exposure, kind }))).toBe(kind);
  });

  it('leaves to decode what it cannot read safely: another writer, a short body, a schema not led by a string', () => {
    const bytes = codec.encode(activity);
    const otherWriter = Buffer.from(bytes);
    otherWriter[5] = (otherWriter[5] as number) ^ 0xff;
    expect(codec.peekLeadingString(otherWriter)).toBeUndefined();
    expect(codec.peekLeadingString(bytes.subarray(0, 12))).toBeUndefined();
    expect(codec.peekLeadingString(bytes.subarray(0, 10))).toBeUndefined();
    const longLength = Buffer.concat([bytes.subarray(0, 10), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x01])]);
    expect(codec.peekLeadingString(longLength)).toBeUndefined();
    const leadsWithLong = new AvroCodec<{ n: number; kind: string }>({ name: 't', schema: { type: 'record', name: 'T', fields: [{ name: 'n', type: 'long' }, { name: 'kind', type: 'string' }] } });
    expect(leadsWithLong.peekLeadingString(leadsWithLong.encode({ n: 3, kind: 'activity' }))).toBeUndefined();
  });

  it.each([activity, coItems, exposure, availability])('encodes a built $kind record to the same bytes as the checked encode', (value) => {
    expect(codec.encodeBuilt(value)).toEqual(codec.encode(value));
  });

  it('refuses a built record of the wrong type with the same error as the checked encode', () => {
    const broken = { ...exposure, exposure: { request_id: 'r', user: 'u', position: 1.5 } };
    const failure = (encode: () => Buffer): unknown => {
      try {
        encode();
      } catch (error) {
        return error;
      }
      return expect.unreachable('encode should throw');
    };
    const built = failure(() => codec.encodeBuilt(broken));
    expect(isAppError(built, ErrorCode.PayloadInvalid)).toBe(true);
    expect((built as Error).message).toBe((failure(() => codec.encode(broken)) as Error).message);
    expect((built as Error).message).toMatch(/exposure\.position/);
  });
});
