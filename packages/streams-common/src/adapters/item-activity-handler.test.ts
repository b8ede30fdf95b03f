import { describe, expect, it } from 'vitest';
import { ErrorCode, OpKind, type ApplyBatchInput, type StateStore } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { ItemActivityKind, itemIdOf, userIdOf, type ItemActivityRecord } from '../domain/index.js';
import { itemContext, streamContext } from '../testing/fixtures.js';
import { itemActivityToWire } from '../wire/item-activity-wire.js';
import { createItemActivityHandler } from './item-activity-handler.js';

const codec = createEventCodec('repartition.item-activity.v1');
const partition = itemContext('7').partition;
const base = { item: itemIdOf('7'), eventTime: 1_764_064_800_000 };
const exposure: ItemActivityRecord = { ...base, dedupId: 'x', kind: ItemActivityKind.Exposure, requestId: 'r', user: userIdOf('42'), position: 1 };
const activity: ItemActivityRecord = {
  ...base,
  dedupId: 'a',
  kind: ItemActivityKind.Activity,
  eventId: 'e1',
  user: userIdOf('42'),
  action: 'view',
  requestId: null,
  catalogued: false,
  industry: null,
  tags: [],
};

/** The single-object header, the kind, and nothing of the rest of the record: decoding it fails. */
function cutAfterKind(value: ItemActivityRecord): Buffer {
  return codec.encode(itemActivityToWire(value)).subarray(0, 10 + 1 + value.kind.length);
}

function record(offset: number, value: Buffer): ConsumedRecord {
  return { topic: 'repartition.item-activity.v1', partition, offset: BigInt(offset), key: Buffer.from('7'), value, timestampMs: 0 };
}

describe('the shared item-stage handler', () => {
  it('skips the kinds a stage does not use without decoding them, stores their offsets, and dead-letters the broken records of kinds it uses', async () => {
    const applied: ApplyBatchInput[] = [];
    const store: StateStore = {
      applyBatch(input) {
        applied.push(input);
        return Promise.resolve({ applied: input.records.length, skipped: 0, storedOffset: input.lastOffset });
      },
      storedOffset: () => Promise.resolve(undefined),
    };
    const seen: ItemActivityRecord[] = [];
    const handler = createItemActivityHandler({
      context: streamContext,
      activity: codec,
      store,
      field: 'stage/repartition.item-activity.v1',
      kinds: new Set([ItemActivityKind.Activity]),
      opsFor: (value) => {
        seen.push(value);
        return [{ kind: OpKind.HIncrBy, key: 'k', field: value.dedupId, by: 1 }];
      },
    });
    const prepared = await handler.prepare({
      topic: 'repartition.item-activity.v1',
      partition,
      records: [
        record(0, codec.encode(itemActivityToWire(exposure))),
        record(1, cutAfterKind(exposure)),
        record(2, codec.encode(itemActivityToWire(activity))),
        record(3, cutAfterKind(activity)),
        record(4, Buffer.from('garbage')),
      ],
    });
    expect(seen.map((value) => value.dedupId)).toEqual(['a']);
    expect(prepared.deadLetters.map((letter) => [letter.offset, letter.code])).toEqual([
      [3n, ErrorCode.PayloadInvalid],
      [4n, ErrorCode.PayloadInvalid],
    ]);
    await prepared.commit();
    expect(applied).toEqual([expect.objectContaining({ lastOffset: 4n, records: [{ offset: 2n, ops: [expect.objectContaining({ field: 'a' })] }] })]);
  });
});
