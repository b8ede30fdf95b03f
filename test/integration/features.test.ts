/**
 * Integration (needs the local stack's Kafka and Redis: `npm run setup`, and `dlq.features` from
 * `npm run topics -- apply`): the features process, started in-process from the latest offsets under
 * a test-owned state version and catalogue topic, turns interactions into user and item features, ignores a Debezium-style
 * re-delivery of the same events, and dead-letters a garbage record while later records still apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { ErrorCode, parseStateVersion, type DeadLetter } from '@streamrec/foundation';
import { createEventCodec } from '@streamrec/schemas/avro';
import { decimalFromString, type Interaction, type InteractionAction, type ItemChange } from '@streamrec/schemas';
import { itemIdOf, userIdOf, type StreamContext } from '@streamrec/streams-common';
import { startFeatures, type RunningFeatures } from '@streamrec/features/app';
import { startCatalogueReader } from '@streamrec/streams-common/adapters';
import { CatalogueStore } from '@streamrec/streams-common';
import { parseFeaturesConfig } from '@streamrec/features/app';
import { itemFeatureKeys, userFeatureKeys } from '@streamrec/features';
import { CdcTopicReader } from '../helpers/cdc-topic.js';
import { createRedis } from '../helpers/redis.js';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { cleanUpProcessTest, processTestConfig } from '../helpers/process-test.js';
import { waitFor } from '../helpers/wait-for.js';
import { processorGroupIds } from '@streamrec/streams-common';
import { featuresManifest } from '@streamrec/features';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const suffix = uniqueSuffix();
const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const groupVersion = `test-${suffix}`;
const itemsTopic = `test.items.${suffix}`;
const exposuresTopic = `test.exposures.${suffix}`;
const context: StreamContext = { version, userPartitions: 6, itemPartitions: 6 };
const kafka = createKafka('test-features');
const user = userIdOf(`it-features-${suffix}`);
const firstItem = 8_000_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
const items = [firstItem, firstItem + 1, firstItem + 2] as const;
const [itemA, itemB, itemC] = items;
const interactionCodec = createEventCodec('events.interactions.v1');
const itemCodec = createEventCodec('events.items.v1');
const exposureCodec = createEventCodec('serving.exposures.v1');
let redis: Redis;
let producer: Producer;
let app: RunningFeatures | undefined;

const base = Date.now() - 60_000;
function interaction(n: number, item: number, action: InteractionAction): Interaction {
  return {
    event_id: `it-features:${suffix}:${n}`,
    user_id: user,
    visitor_id: null,
    item_id: item,
    action,
    event_time: base + n * 1_000,
    source: 'beacon',
    session_id: null,
    price: null,
    quantity: null,
    request_id: null,
    ingest_time: base + 30_000,
  };
}

function catalogueItem(id: number, industry: string, tags: string[]): ItemChange {
  return { id, title: `test ${id}`, description: '', tags, industry, price: decimalFromString('99.00'), status: 'listed', available: true, deleted: false, created_at: base, updated_at: base, source_version: 1 };
}

async function sendInteractions(values: readonly (Interaction | Buffer)[]): Promise<void> {
  const messages = values.map((value) => ({ key: user, value: Buffer.isBuffer(value) ? value : interactionCodec.encode(value) }));
  await producer.send({ topic: 'events.interactions.v1', acks: -1, messages });
}

const userKeys = userFeatureKeys(context, user);
const itemCounts = async (item: number): Promise<Record<string, string>> => redis.hgetall(itemFeatureKeys(context, itemIdOf(String(item))).counts);

beforeAll(async () => {
  redis = createRedis();
  producer = kafka.producer();
  await producer.connect();
  // A test-owned catalogue topic (events.items.v1's shape), so no test item reaches the real catalogue.
  // Catalogue first: the process reads it to its end before the user stage starts.
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, { topics: [{ topic: itemsTopic, numPartitions: 3 }, { topic: exposuresTopic, numPartitions: 6 }] });
  await admin.disconnect();
  await producer.send({
    topic: itemsTopic,
    acks: -1,
    messages: [
      catalogueItem(itemA, 'finance', ['rates', 'daily']),
      catalogueItem(itemB, 'energy', ['power']),
      catalogueItem(itemC, 'finance', ['rates']),
    ].map((item) => ({ key: String(item.id), value: itemCodec.encode(item) })),
  });
  const config = parseFeaturesConfig({ ...processTestConfig('features', { suffix, version, groupVersion }), topics: { items: itemsTopic, exposures: exposuresTopic } });
  app = await startFeatures(config, pino({ level: 'silent' }));
  await app.ready();
});

afterAll(async () => {
  await app?.stop();
  await producer.disconnect();
  await cleanUpProcessTest(kafka, redis, {
    groups: processorGroupIds(featuresManifest, groupVersion),
    topics: [itemsTopic, exposuresTopic],
    version,
  });
  await redis.quit();
});

describe('the features process', () => {
  it('builds user and item features once, ignores re-delivered events and dead-letters garbage', async () => {
    const first = [interaction(1, itemA, 'view'), interaction(2, itemA, 'click'), interaction(3, itemB, 'view'), interaction(4, itemC, 'purchase'), interaction(5, itemB, 'favorite')];
    await sendInteractions(first);

    const expectedItems: Record<number, Record<string, string>> = { [itemA]: { view: '1', click: '1' }, [itemB]: { view: '1', favorite: '1' }, [itemC]: { purchase: '1' } };
    await waitFor(
      async () => {
        const counts = await redis.hgetall(userKeys.counts);
        if (counts['view'] !== '2' || counts['favorite'] !== '1') return false;
        for (const item of items) if (JSON.stringify(await itemCounts(item)) !== JSON.stringify(expectedItems[item])) return false;
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'user and item counts of the first interactions' },
    );
    const userCounts = await redis.hgetall(userKeys.counts);
    expect(userCounts).toEqual({ view: '2', click: '1', purchase: '1', favorite: '1' });
    const tags = await redis.zrevrange(userKeys['tag-affinity'], 0, -1);
    expect(tags.sort()).toEqual(['daily', 'power', 'rates']);
    expect((await redis.zrevrange(userKeys['industry-affinity'], 0, -1)).sort()).toEqual(['energy', 'finance']);
    expect(await redis.zrevrange(userKeys.recent, 0, -1)).toEqual([String(itemB), String(itemC), String(itemA)]);
    for (const item of items) expect(await redis.pfcount(itemFeatureKeys(context, itemIdOf(String(item))).users)).toBe(1);
    const affinityBefore = await redis.zrange(userKeys['tag-affinity'], 0, -1, 'WITHSCORES');

    const dlq = new CdcTopicReader(kafka, ['dlq.features']);
    await dlq.start('now');
    try {
      // The same events again (same ids, new offsets), garbage, then one new cart per item.
      const later = [interaction(6, itemA, 'cart'), interaction(7, itemB, 'cart'), interaction(8, itemC, 'cart')];
      await sendInteractions([...first, Buffer.from(`garbage ${suffix}`), ...later]);
      await waitFor(
        async () => {
          for (const item of items) if ((await itemCounts(item))['cart'] !== '1') return false;
          return (await redis.hget(userKeys.counts, 'cart')) === '3';
        },
        { timeoutMs: 30_000, intervalMs: 100, description: 'the later carts applied' },
      );
      expect(await redis.hgetall(userKeys.counts)).toEqual({ ...userCounts, cart: '3' });
      for (const item of items) {
        expect(await itemCounts(item)).toEqual({ ...expectedItems[item], cart: '1' });
        expect(await redis.pfcount(itemFeatureKeys(context, itemIdOf(String(item))).users)).toBe(1);
      }
      const affinityAfter = await redis.zrange(userKeys['tag-affinity'], 0, -1, 'WITHSCORES');
      expect(affinityAfter.length).toBe(affinityBefore.length);

      const letter = await dlq.waitUntil(
        'the garbage record in dlq.features',
        (records) => records.map((record) => record.value as unknown as DeadLetter).find((value) => value.value?.data === `garbage ${suffix}`),
        20_000,
      );
      expect(letter).toMatchObject({ processor: 'features', code: ErrorCode.PayloadInvalid, source: { topic: 'events.interactions.v1' }, key: { data: user } });
      expect(letter.reason).toContain('single-object marker');
    } finally {
      await dlq.stop();
    }
  });

  it("counts the API's exposures and the clicks on them into each item's CTR, once", async () => {
    const requestId = `req-${suffix}`;
    const exposure = exposureCodec.encode({
      request_id: requestId,
      user_id: user,
      event_time: base + 40_000,
      scene: 'home',
      experiment: null,
      variant: 'control',
      model_name: null,
      model_version: null,
      degraded_reasons: [],
      latency_ms: 5,
      feature_names: [],
      items: [
        { item_id: itemB, position: 0, channel: 'cooccurrence', score: 0.8, features: [], shown: true },
        { item_id: itemC, position: 1, channel: 'popular', score: 0.4, features: [], shown: true },
      ],
      ingest_time: base + 40_000,
    });
    // The same exposure twice (an API retry, a re-delivery): counted once.
    await producer.send({ topic: exposuresTopic, acks: -1, messages: [{ key: user, value: exposure }, { key: user, value: exposure }] });
    await sendInteractions([{ ...interaction(50, itemB, 'click'), request_id: requestId }]);
    const ctr = async (item: number): Promise<Record<string, string>> => redis.hgetall(itemFeatureKeys(context, itemIdOf(String(item))).ctr);
    await waitFor(async () => (await ctr(itemB))['clicks'] === '1' && (await ctr(itemC))['exposures'] === '1', {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'exposures and the click applied',
    });
    expect(await ctr(itemB)).toEqual({ exposures: '1', clicks: '1' });
    expect(await ctr(itemC)).toEqual({ exposures: '1' });
  });

  it('reads the catalogue to its end before reporting caught up, then follows live changes', async () => {
    const topic = `test.items.live.${suffix}`;
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsReady(admin, { topics: [{ topic, numPartitions: 3 }] });
    let reader: Awaited<ReturnType<typeof startCatalogueReader>> | undefined;
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: [1, 2, 3, 4].map((n) => catalogueItem(firstItem + n, 'finance', [`tag-${n}`])).map((item) => ({ key: String(item.id), value: itemCodec.encode(item) })),
      });
      const store = new CatalogueStore();
      reader = await startCatalogueReader(kafka, store, { topic, groupId: `test-catalogue-${suffix}` }, pino({ level: 'silent' }));
      await reader.caughtUp();
      expect(store.size).toBe(4);
      const relabelled = { ...catalogueItem(firstItem + 1, 'energy', ['grid']), source_version: 2 };
      await producer.send({ topic, acks: -1, messages: [{ key: String(relabelled.id), value: itemCodec.encode(relabelled) }] });
      await waitFor(() => store.lookup(itemIdOf(String(firstItem + 1)), 0)?.industry === 'energy', { timeoutMs: 10_000, intervalMs: 50, description: 'the live re-labelling' });
      expect(store.lookup(itemIdOf(String(firstItem + 1)), 0)?.tags).toEqual(['grid']);
    } finally {
      await reader?.stop();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
