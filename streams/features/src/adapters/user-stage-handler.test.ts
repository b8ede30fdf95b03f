import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { createMemoryStateStore } from '@streamrec/streams-common/testing';
import { defaultFeaturesParams } from '../domain/features-params.js';
import { catalogue, interaction, itemContext, streamContext, userContext, weatherItem } from '../domain/test-fixtures.js';
import { createItemStageHandler } from './item-stage-handler.js';
import { createCatalogueBarrier, type ItemActivitySink } from '@streamrec/streams-common/adapters';
import type { ItemInfo } from '@streamrec/streams-common';
import { createUserStageHandler } from './user-stage-handler.js';

const interactions = createEventCodec('events.interactions.v1');
const activity = createEventCodec('repartition.item-activity.v1');
const partition = userContext('42').partition;

const memoryStore = createMemoryStateStore;

function record(offset: number, value: Buffer | null): ConsumedRecord {
  return { topic: 'events.interactions.v1', partition, offset: BigInt(offset), key: Buffer.from('42'), value, timestampMs: 0 };
}

describe('the features user-stage handler', () => {
  it('produces the repartition record before commit and applies user ops only on commit', async () => {
    const sent: { key: string; value: Buffer }[] = [];
    const sink: ItemActivitySink = { send: (messages) => Promise.resolve(void sent.push(...messages)) };
    const store = memoryStore();
    const handler = createUserStageHandler({ context: streamContext, params: defaultFeaturesParams, interactions, activity, itemInfo: catalogue({ 7: weatherItem }), repartition: sink, store });

    const prepared = await handler.prepare({ topic: 'events.interactions.v1', partition, records: [record(0, interactions.encode(interaction()))] });
    expect(sent.map((message) => message.key)).toEqual(['7']);
    expect(store.state.keys()).toEqual([]);
    await prepared.commit();
    expect(store.state.keys().some((key) => key.endsWith(':user:42:counts'))).toBe(true);

    // The produced record is what the item stage consumes.
    const itemStore = memoryStore();
    const itemHandler = createItemStageHandler({ context: streamContext, params: defaultFeaturesParams, activity, store: itemStore });
    const owner = itemContext('7').partition;
    const itemPrepared = await itemHandler.prepare({
      topic: 'repartition.item-activity.v1',
      partition: owner,
      records: [{ topic: 'repartition.item-activity.v1', partition: owner, offset: 0n, key: Buffer.from('7'), value: sent[0]!.value, timestampMs: 0 }],
    });
    expect(itemPrepared.deadLetters).toEqual([]);
    await itemPrepared.commit();
    expect(itemStore.state.hget(itemStore.state.keys().find((key) => key.endsWith(':item:7:counts')) ?? '', 'view')).toBe('1');
  });

  it('dead-letters an undecodable or tombstone record with its code and keeps the rest of the batch', async () => {
    const store = memoryStore();
    const handler = createUserStageHandler({
      context: streamContext,
      params: defaultFeaturesParams,
      interactions,
      activity,
      itemInfo: catalogue({}),
      repartition: { send: () => Promise.resolve() },
      store,
    });
    const prepared = await handler.prepare({
      topic: 'events.interactions.v1',
      partition,
      records: [record(0, Buffer.from('garbage')), record(1, null), record(2, interactions.encode(interaction({ event_id: 'e2' })))],
    });
    expect(prepared.deadLetters.map((letter) => [letter.offset, letter.code])).toEqual([
      [0n, ErrorCode.PayloadInvalid],
      [1n, ErrorCode.PayloadInvalid],
    ]);
    expect(prepared.eventTimesMs).toHaveLength(1);
  });

  it('rethrows a retriable failure of the repartition producer so the batch is retried, not dead-lettered', async () => {
    const handler = createUserStageHandler({
      context: streamContext,
      params: defaultFeaturesParams,
      interactions,
      activity,
      itemInfo: catalogue({}),
      repartition: { send: () => Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'broker down', { retriable: true })) },
      store: memoryStore(),
    });
    await expect(handler.prepare({ topic: 'events.interactions.v1', partition, records: [record(0, interactions.encode(interaction()))] })).rejects.toMatchObject({
      code: ErrorCode.DependencyUnavailable,
      retriable: true,
    });
  });

  it('reads the catalogue to its end before joining a view of an item it does not know yet, so the view counts with the item', async () => {
    const known: Record<number, ItemInfo> = {};
    const itemInfo = catalogue(known);
    const joined = async (awaitCatalogue?: Parameters<typeof createUserStageHandler>[0]['awaitCatalogue']): Promise<{ catalogued: boolean; industry: string | null }> => {
      const sent: { key: string; value: Buffer }[] = [];
      const handler = createUserStageHandler({ context: streamContext, params: defaultFeaturesParams, interactions, activity, itemInfo, awaitCatalogue, repartition: { send: (messages) => Promise.resolve(void sent.push(...messages)) }, store: memoryStore() });
      await handler.prepare({ topic: 'events.interactions.v1', partition, records: [record(0, interactions.encode(interaction()))] });
      const payload = activity.decode(sent[0]!.value).activity;
      return { catalogued: payload?.catalogued ?? false, industry: payload?.industry ?? null };
    };
    // The dataset is on events.items.v1 but the reader has not read it yet.
    const readToEnd = (): Promise<boolean> => {
      known[7] = weatherItem;
      return Promise.resolve(true);
    };
    expect(await joined()).toEqual({ catalogued: false, industry: null });
    expect(await joined(createCatalogueBarrier({ lookup: itemInfo, readToEnd, timeoutMs: 1_000 }))).toEqual({ catalogued: true, industry: 'agriculture' });
  });
});
