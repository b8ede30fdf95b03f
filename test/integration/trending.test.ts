/**
 * Integration (needs the local stack's Kafka and Redis: `npm run setup`, and `dlq.trending` from
 * `npm run topics -- apply`): the trending process, started in-process from the latest offsets under a
 * test-owned state version and catalogue topic, ranks repartition `activity` records by action weight in
 * the global and per-industry hot lists, drops an item the catalogue relay announces as unavailable,
 * ignores a re-sent record (same dedup id) and dead-letters garbage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { ErrorCode, parseStateVersion, type DeadLetter } from '@streamrec/foundation';
import { createEventCodec } from '@streamrec/schemas/avro';
import { decimalFromString, type InteractionAction, type ItemChange } from '@streamrec/schemas';
import { ItemActivityKind, itemActivityTopic, itemIdOf, keyedItemActivity, userIdOf, type ActivityRecord, type StreamContext } from '@streamrec/streams-common';
import { itemActivityToWire } from '@streamrec/streams-common/wire';
import { startTrending, type RunningTrending } from '@streamrec/trending/app';
import { parseTrendingConfig, type TrendingConfig } from '@streamrec/trending/app';
import { readTrending } from '@streamrec/trending/reader';
import { GLOBAL_SCOPE, type TrendingScope } from '@streamrec/trending';
import { TrendingWindow } from '@streamrec/trending';
import { CdcTopicReader } from '../helpers/cdc-topic.js';
import { createRedis } from '../helpers/redis.js';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { cleanUpProcessTest, processTestConfig } from '../helpers/process-test.js';
import { waitFor } from '../helpers/wait-for.js';
import { processorGroupIds } from '@streamrec/streams-common';
import { trendingManifest } from '@streamrec/trending';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const suffix = uniqueSuffix();
const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const groupVersion = `test-${suffix}`;
const itemsTopic = `test.items.${suffix}`;
const context: StreamContext = { version, userPartitions: 6, itemPartitions: 6 };
const kafka = createKafka('test-trending');
const user = userIdOf(`it-trending-${suffix}`);
const firstItem = 8_100_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
const [itemA, itemB, itemC] = [firstItem, firstItem + 1, firstItem + 2] as const;
const catalogue: Record<number, { industry: string; tags: string[] }> = {
  [itemA]: { industry: 'finance', tags: ['rates'] },
  [itemB]: { industry: 'energy', tags: ['power'] },
  [itemC]: { industry: 'finance', tags: ['rates'] },
};
const activityCodec = createEventCodec('repartition.item-activity.v1');
const itemCodec = createEventCodec('events.items.v1');
const base = Date.now() - 5 * 60_000;
let redis: Redis;
let producer: Producer;
let config: TrendingConfig;
let app: RunningTrending | undefined;

function activity(n: number, item: number, action: InteractionAction): ActivityRecord {
  const { industry, tags } = catalogue[item]!;
  return {
    kind: ItemActivityKind.Activity,
    dedupId: `activity:it-trending:${suffix}:${n}`,
    item: itemIdOf(String(item)),
    eventTime: base + n * 1_000,
    eventId: `it-trending:${suffix}:${n}`,
    user,
    action,
    requestId: null,
    catalogued: true,
    industry,
    tags,
  };
}

async function sendActivity(values: readonly (ActivityRecord | { item: number; garbage: Buffer })[]): Promise<void> {
  const messages = values.map((value) => {
    if ('garbage' in value) return { key: String(value.item), partition: keyedItemActivity(context, activity(0, value.item, 'view')).partition, value: value.garbage };
    const keyed = keyedItemActivity(context, value);
    return { key: keyed.key, partition: keyed.partition, value: activityCodec.encode(itemActivityToWire(value)) };
  });
  await producer.send({ topic: itemActivityTopic(version), acks: -1, messages });
}

async function hotList(scope: TrendingScope): Promise<[string, number][]> {
  const list = await readTrending(redis, { context, params: config.params }, { scope, window: TrendingWindow.Hour, limit: 10, nowMs: Date.now() });
  return list.map(({ item, score }) => [item, score]);
}

const finance: TrendingScope = { kind: 'industry', name: 'finance' };

beforeAll(async () => {
  redis = createRedis();
  producer = kafka.producer();
  await producer.connect();
  // A test-owned catalogue topic (events.items.v1's shape), so no test item reaches the real catalogue.
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, { topics: [{ topic: itemsTopic, numPartitions: 3 }] });
  await admin.disconnect();
  config = parseTrendingConfig({ ...processTestConfig('trending', { suffix, version, groupVersion }), topics: { items: itemsTopic } });
  app = await startTrending(config, pino({ level: 'silent' }));
  await app.ready();
});

afterAll(async () => {
  await app?.stop();
  await producer.disconnect();
  await cleanUpProcessTest(kafka, redis, { groups: processorGroupIds(trendingManifest, groupVersion), topics: [itemsTopic], version });
  await redis.quit();
});

describe('the trending process', () => {
  it('ranks items by weighted activity, ignores re-sent records, drops unavailable items and dead-letters garbage', async () => {
    // Weights: view 1, click 2, cart 5, purchase 10 → B 10, C 5, A 3.
    const first = [activity(1, itemA, 'view'), activity(2, itemA, 'click'), activity(3, itemB, 'purchase'), activity(4, itemC, 'cart')];
    await sendActivity(first);
    const expectedGlobal: [string, number][] = [
      [String(itemB), 10],
      [String(itemC), 5],
      [String(itemA), 3],
    ];
    await waitFor(async () => JSON.stringify(await hotList(GLOBAL_SCOPE)) === JSON.stringify(expectedGlobal), {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'the global 1 h list of the first records',
    });
    expect(await hotList(finance)).toEqual([
      [String(itemC), 5],
      [String(itemA), 3],
    ]);
    expect(await hotList({ kind: 'tag', name: 'power' })).toEqual([[String(itemB), 10]]);

    const dlq = new CdcTopicReader(kafka, ['dlq.trending']);
    await dlq.start('now');
    try {
      // The same records again (same dedup ids, new offsets), garbage, then one new view of A.
      await sendActivity([...first, { item: itemA, garbage: Buffer.from(`garbage ${suffix}`) }, activity(5, itemA, 'view')]);
      await waitFor(async () => (await hotList(GLOBAL_SCOPE)).find(([item]) => item === String(itemA))?.[1] === 4, {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: 'the later view of A applied',
      });
      expect(await hotList(GLOBAL_SCOPE)).toEqual([
        [String(itemB), 10],
        [String(itemC), 5],
        [String(itemA), 4],
      ]);

      const letter = await dlq.waitUntil(
        'the garbage record in dlq.trending',
        (records) => records.map((record) => record.value as unknown as DeadLetter).find((value) => value.value?.data === `garbage ${suffix}`),
        20_000,
      );
      expect(letter).toMatchObject({ processor: 'trending', code: ErrorCode.PayloadInvalid, source: { topic: itemActivityTopic(version) } });
    } finally {
      await dlq.stop();
    }

    // C becomes unavailable in the catalogue: the relay announces it and the item stage removes it.
    const unavailable: ItemChange = {
      id: itemC,
      title: `test ${itemC}`,
      description: '',
      tags: ['rates'],
      industry: 'finance',
      price: decimalFromString('99.00'),
      status: 'unlisted',
      available: false,
      deleted: false,
      created_at: base,
      updated_at: Date.now(),
      source_version: 2,
    };
    await producer.send({ topic: itemsTopic, acks: -1, messages: [{ key: String(itemC), value: itemCodec.encode(unavailable) }] });
    await waitFor(async () => !(await hotList(GLOBAL_SCOPE)).some(([item]) => item === String(itemC)), {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'C removed from the global list',
    });
    expect(await hotList(GLOBAL_SCOPE)).toEqual([
      [String(itemB), 10],
      [String(itemA), 4],
    ]);
    expect(await hotList(finance)).toEqual([[String(itemA), 4]]);
  });
});
