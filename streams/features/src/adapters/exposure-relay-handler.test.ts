import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { type Exposure } from '@streamrec/schemas';
import { createMemoryStateStore } from '@streamrec/streams-common/testing';
import { defaultFeaturesParams } from '../domain/features-params.js';
import { itemContext, streamContext } from '../domain/test-fixtures.js';
import { createExposureRelayHandler } from './exposure-relay-handler.js';
import { createItemStageHandler } from './item-stage-handler.js';
import type { ItemActivitySink } from '@streamrec/streams-common/adapters';

const exposures = createEventCodec('serving.exposures.v1');
const activity = createEventCodec('repartition.item-activity.v1');

const exposure: Exposure = {
  request_id: 'req-1',
  user_id: '42',
  event_time: Date.UTC(2026, 10, 20, 12),
  scene: 'home',
  experiment: null,
  variant: 'control',
  model_name: null,
  model_version: null,
  degraded_reasons: [],
  latency_ms: 7,
  feature_names: [],
  items: [
    { item_id: 7, position: 0, channel: 'cooccurrence', score: 0.9, features: [], shown: true },
    { item_id: 8, position: 1, channel: 'popular', score: 0.5, features: [], shown: true },
  ],
  ingest_time: Date.UTC(2026, 10, 20, 12),
};

function record(offset: number, value: Buffer | null): ConsumedRecord {
  return { topic: 'serving.exposures.v1', partition: 0, offset: BigInt(offset), key: Buffer.from('42'), value, timestampMs: 0 };
}

const memoryStore = createMemoryStateStore;

describe('the features exposure relay', () => {
  it('relays one exposure record per item shown, only on commit, and the item stage counts each once', async () => {
    const sent: { key: string; value: Buffer }[] = [];
    const repartition: ItemActivitySink = { send: (messages) => Promise.resolve(void sent.push(...messages)) };
    const relay = createExposureRelayHandler({ context: streamContext, exposures, activity, repartition });
    const prepared = await relay.prepare({ topic: 'serving.exposures.v1', partition: 0, records: [record(0, exposures.encode(exposure)), record(1, null)] });
    expect(prepared.deadLetters).toEqual([]);
    expect(prepared.eventTimesMs).toEqual([exposure.event_time]);
    expect(sent).toEqual([]);
    await prepared.commit();
    expect(sent.map((message) => message.key)).toEqual(['7', '8']);
    // A crash before the Kafka commit re-sends the same records: the item stage's guard drops the repeat.
    await (await relay.prepare({ topic: 'serving.exposures.v1', partition: 0, records: [record(0, exposures.encode(exposure))] })).commit();
    expect(sent).toHaveLength(4);

    const store = memoryStore();
    const itemStage = createItemStageHandler({ context: streamContext, params: defaultFeaturesParams, activity, store });
    const owner = itemContext('7').partition;
    const toItem7 = sent.filter((message) => message.key === '7');
    const itemPrepared = await itemStage.prepare({
      topic: 'repartition.item-activity.v1',
      partition: owner,
      records: toItem7.map((message, index) => ({ topic: 'repartition.item-activity.v1', partition: owner, offset: BigInt(index), key: Buffer.from('7'), value: message.value, timestampMs: 0 })),
    });
    await itemPrepared.commit();
    const ctrKey = store.state.keys().find((key) => key.endsWith(':item:7:ctr')) ?? '';
    expect(store.state.hget(ctrKey, 'exposures')).toBe('1');
  });

  it('dead-letters an undecodable exposure or one with a repeated position, and relays the rest', async () => {
    const sent: { key: string; value: Buffer }[] = [];
    const relay = createExposureRelayHandler({ context: streamContext, exposures, activity, repartition: { send: (messages) => Promise.resolve(void sent.push(...messages)) } });
    const repeated = exposures.encode({ ...exposure, request_id: 'req-2', items: [exposure.items[0]!, { ...exposure.items[1]!, position: 0 }] });
    const prepared = await relay.prepare({
      topic: 'serving.exposures.v1',
      partition: 0,
      records: [record(0, Buffer.from('not avro')), record(1, repeated), record(2, exposures.encode(exposure))],
    });
    expect(prepared.deadLetters.map((letter) => [letter.offset, letter.code])).toEqual([
      [0n, ErrorCode.PayloadInvalid],
      [1n, ErrorCode.PayloadInvalid],
    ]);
    await prepared.commit();
    expect(sent).toHaveLength(2);
  });
});
