import { describe, expect, it } from 'vitest';
import { offsetsKey, type StateStore } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { ItemActivityKind, itemIdOf, userIdOf, type ItemActivityRecord } from '@streamrec/streams-common';
import { itemActivityToWire } from '@streamrec/streams-common/wire';
import { createMemoryState } from '@streamrec/streams-common/testing';
import { defaultCooccurrenceParams as params } from '../domain/cooccurrence-params.js';
import { neighbourKeys } from '../domain/cooccurrence-keys.js';
import { T0, itemContext, streamContext } from '../domain/test-fixtures.js';
import { createItemStageHandler } from './item-stage-handler.js';
import { ITEM_STAGE_FIELD } from '../manifest.js';

const activity = createEventCodec('repartition.item-activity.v1');
const partition = itemContext('7').partition;
const base = { dedupId: 'd', item: itemIdOf('7'), eventTime: T0 };

function record(offset: number, value: ItemActivityRecord | Buffer): ConsumedRecord {
  const encoded = Buffer.isBuffer(value) ? value : activity.encode(itemActivityToWire(value));
  return { topic: 'repartition.item-activity.v1', partition, offset: BigInt(offset), key: Buffer.from('7'), value: encoded, timestampMs: 0 };
}

describe('the cooccurrence item-stage handler', () => {
  it('applies co-items and activity, skips exposures but still stores their offset, dead-letters garbage', async () => {
    const state = createMemoryState();
    const store: StateStore = {
      applyBatch(input) {
        state.applyBatch(input.offsetsKey, input.field, [...input.records, { offset: input.lastOffset, ops: [] }]);
        return Promise.resolve({ applied: input.records.length, skipped: 0, storedOffset: input.lastOffset });
      },
      storedOffset: (key, field) => Promise.resolve(state.storedOffset(key, field)),
    };
    const prepared = await createItemStageHandler({ context: streamContext, params, activity, store }).prepare({
      topic: 'repartition.item-activity.v1',
      partition,
      records: [
        record(0, { ...base, dedupId: 'c', kind: ItemActivityKind.CoItems, eventId: 'e1', user: userIdOf('42'), neighbours: [{ item: itemIdOf('8'), cooccurrence: 2, transition: 2 }] }),
        record(1, { ...base, dedupId: 'a', kind: ItemActivityKind.Activity, eventId: 'e1', user: userIdOf('42'), action: 'view', requestId: null, catalogued: false, industry: null, tags: [] }),
        record(2, Buffer.from('garbage')),
        record(3, { ...base, dedupId: 'x', kind: ItemActivityKind.Exposure, requestId: 'r', user: userIdOf('42'), position: 1 }),
      ],
    });
    expect(prepared.deadLetters.map((letter) => letter.offset)).toEqual([2n]);
    expect(prepared.eventTimesMs).toEqual([T0, T0]);
    await prepared.commit();
    const keys = neighbourKeys(streamContext, itemIdOf('7'));
    expect(state.zscore(keys.cooc, '8')).toBe(2);
    expect(state.zscore(keys.trans, '8')).toBe(2);
    expect(state.zscore(keys['recent-users'], '42')).toBe(T0);
    expect(state.storedOffset(offsetsKey(streamContext.version, partition), ITEM_STAGE_FIELD)).toBe(3n);
  });
});
