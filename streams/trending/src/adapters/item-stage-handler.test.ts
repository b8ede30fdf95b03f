import { describe, expect, it } from 'vitest';
import { ErrorCode, offsetsKey, type ApplyBatchInput, type StateStore } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { createMemoryState, type MemoryState } from '@streamrec/streams-common/testing';
import { itemActivityToWire } from '@streamrec/streams-common/wire';
import { T0, activity, itemsOnPartition, partitionContext, streamContext } from '../domain/test-fixtures.js';
import { clockKey, hotListKey } from '../domain/trending-keys.js';
import { bucketOf, defaultTrendingParams } from '../domain/trending-params.js';
import { createItemStageHandler, type TrendingStateReader } from './item-stage-handler.js';

const codec = createEventCodec('repartition.item-activity.v1');
const partition = 2;
const [item] = itemsOnPartition(partition, 1) as [number];

function fakes(): { state: MemoryState; store: StateStore; reader: TrendingStateReader; applied: ApplyBatchInput[] } {
  const state = createMemoryState();
  const applied: ApplyBatchInput[] = [];
  // MemoryState stores the last record's offset; apply-batch.lua stores the batch's lastOffset.
  const stored = new Map<string, bigint>();
  return {
    state,
    applied,
    store: {
      applyBatch(input) {
        applied.push(input);
        state.applyBatch(input.offsetsKey, input.field, input.records);
        stored.set(`${input.offsetsKey}/${input.field}`, input.lastOffset);
        return Promise.resolve({ applied: input.records.length, skipped: 0, storedOffset: input.lastOffset });
      },
      storedOffset: (key, field) => Promise.resolve(stored.get(`${key}/${field}`)),
    },
    reader: {
      read(context, field, clockFields) {
        return Promise.resolve({
          storedOffset: stored.get(`${offsetsKey(context.version, context.partition)}/${field}`), clock: clockFields.map((f) => state.hget(clockKey(context, context.partition), f) ?? null) });
      },
    },
  };
}

function record(offset: number, value: Buffer | null): ConsumedRecord {
  return { topic: 'repartition.item-activity.v1', partition, offset: BigInt(offset), key: Buffer.from(String(item)), value, timestampMs: 0 };
}

describe('the trending item-stage handler', () => {
  const bucket = hotListKey(streamContext, partition, 'global', 'hour', bucketOf(T0, defaultTrendingParams.windows.hour));

  it('a re-read batch below the stored offset changes nothing and is not dead-lettered again', async () => {
    const { state, store, reader, applied } = fakes();
    const handler = createItemStageHandler({ context: streamContext, params: defaultTrendingParams, activity: codec, reader, store });
    const batch = [record(0, codec.encode(itemActivityToWire(activity(item, T0, { action: 'purchase' })))), record(1, Buffer.from('garbage'))];
    const first = await handler.prepare({ topic: 'repartition.item-activity.v1', partition, records: batch });
    expect(first.deadLetters).toEqual([expect.objectContaining({ offset: 1n, code: ErrorCode.PayloadInvalid })]);
    await first.commit();
    expect(applied[0]?.expectedStoredOffset).toBe('none');
    const before = state.dump();
    expect(state.zscore(bucket, String(item))).toBe(10);

    const again = await handler.prepare({ topic: 'repartition.item-activity.v1', partition, records: batch });
    expect(again.deadLetters).toEqual([]);
    await again.commit();
    expect(applied[1]?.expectedStoredOffset).toBe(1n);
    expect(state.dump()).toEqual(before);
  });

  it('dead-letters a record of another partition instead of failing the batch', async () => {
    const { store, reader } = fakes();
    const handler = createItemStageHandler({ context: streamContext, params: defaultTrendingParams, activity: codec, reader, store });
    const [foreign] = itemsOnPartition(3, 1) as [number];
    const prepared = await handler.prepare({
      topic: 'repartition.item-activity.v1',
      partition: partitionContext(partition).partition,
      records: [record(0, codec.encode(itemActivityToWire(activity(foreign, T0))))],
    });
    expect(prepared.deadLetters).toEqual([expect.objectContaining({ code: ErrorCode.PayloadInvalid })]);
  });
});
