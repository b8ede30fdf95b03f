/**
 * Integration (needs the local stack's Kafka and Redis: `npm run setup`, and `dlq.cooccurrence` from
 * `npm run topics -- apply`): the cooccurrence process, started in-process from the latest offsets
 * under a test-owned state version and consumer groups, turns a user's views of A, B, C into item
 * neighbours and transitions, changes no score on a re-delivery of the same events, and dead-letters
 * a garbage record while later records still apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { ErrorCode, parseStateVersion, type DeadLetter } from '@streamrec/foundation';
import { createEventCodec } from '@streamrec/schemas/avro';
import { type Interaction } from '@streamrec/schemas';
import { itemIdOf, userIdOf, type StreamContext } from '@streamrec/streams-common';
import { startCooccurrence, type RunningCooccurrence } from '@streamrec/cooccurrence/app';
import { parseCooccurrenceConfig } from '@streamrec/cooccurrence/app';
import { neighbourKeys } from '@streamrec/cooccurrence';
import { CdcTopicReader } from '../helpers/cdc-topic.js';
import { createRedis } from '../helpers/redis.js';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { cleanUpProcessTest, processTestConfig } from '../helpers/process-test.js';
import { waitFor } from '../helpers/wait-for.js';
import { processorGroupIds } from '@streamrec/streams-common';
import { cooccurrenceManifest } from '@streamrec/cooccurrence';

const suffix = uniqueSuffix();
const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const groupVersion = `test-${suffix}`;
const context: StreamContext = { version, userPartitions: 6, itemPartitions: 6 };
const kafka = createKafka('test-cooccurrence');
const user = userIdOf(`it-cooccurrence-${suffix}`);
const firstItem = 8_000_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
const [itemA, itemB, itemC, itemD] = [firstItem, firstItem + 1, firstItem + 2, firstItem + 3] as const;
const interactionCodec = createEventCodec('events.interactions.v1');
let redis: Redis;
let producer: Producer;
let app: RunningCooccurrence | undefined;

const base = Date.now() - 60_000;
function view(n: number, item: number): Interaction {
  return {
    event_id: `it-cooccurrence:${suffix}:${n}`,
    user_id: user,
    visitor_id: null,
    item_id: item,
    action: 'view',
    event_time: base + n * 1_000,
    source: 'beacon',
    session_id: null,
    price: null,
    quantity: null,
    request_id: null,
    ingest_time: base + 30_000,
  };
}

async function sendInteractions(values: readonly (Interaction | Buffer)[]): Promise<void> {
  const messages = values.map((value) => ({ key: user, value: Buffer.isBuffer(value) ? value : interactionCodec.encode(value) }));
  await producer.send({ topic: 'events.interactions.v1', acks: -1, messages });
}

const keysOf = (item: number): ReturnType<typeof neighbourKeys> => neighbourKeys(context, itemIdOf(String(item)));
/** member → score of a neighbour zset. */
async function scores(key: string): Promise<Record<string, string>> {
  const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
  const result: Record<string, string> = {};
  for (let index = 0; index < flat.length; index += 2) result[flat[index] ?? ''] = flat[index + 1] ?? '';
  return result;
}

beforeAll(async () => {
  redis = createRedis();
  producer = kafka.producer();
  await producer.connect();
  const config = parseCooccurrenceConfig({ ...processTestConfig('cooccurrence', { suffix, version, groupVersion }) });
  app = await startCooccurrence(config, pino({ level: 'silent' }));
  await app.ready();
});

afterAll(async () => {
  await app?.stop();
  await producer.disconnect();
  await cleanUpProcessTest(kafka, redis, { groups: processorGroupIds(cooccurrenceManifest, groupVersion), version });
  await redis.quit();
});

describe('the cooccurrence process', () => {
  it('pairs a user’s views into neighbours and transitions once, ignores re-delivered events and dead-letters garbage', async () => {
    const first = [view(1, itemA), view(2, itemB), view(3, itemC)];
    await sendInteractions(first);

    await waitFor(
      async () => {
        const [a, b, c] = await Promise.all([scores(keysOf(itemA).cooc), scores(keysOf(itemB).cooc), scores(keysOf(itemC).cooc)]);
        return Object.keys(a).length === 2 && Object.keys(b).length === 2 && Object.keys(c).length === 2;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'the neighbours of A, B and C' },
    );
    const coocA = await scores(keysOf(itemA).cooc);
    const coocB = await scores(keysOf(itemB).cooc);
    expect(Object.keys(coocA).sort()).toEqual([String(itemB), String(itemC)]);
    expect(Object.keys(coocB).sort()).toEqual([String(itemA), String(itemC)]);
    // Transitions run from the earlier view to the later one: A→B and A→C, B→C, nothing out of C.
    const transA = await scores(keysOf(itemA).trans);
    expect(Object.keys(transA).sort()).toEqual([String(itemB), String(itemC)]);
    expect(Object.keys(await scores(keysOf(itemB).trans))).toEqual([String(itemC)]);
    expect(await scores(keysOf(itemC).trans)).toEqual({});
    // Co-occurrence is symmetric: both ends of a pair get the same weight.
    expect(coocB[String(itemA)]).toBe(coocA[String(itemB)]);
    expect(Number(transA[String(itemB)])).toBeGreaterThan(0);

    const dlq = new CdcTopicReader(kafka, ['dlq.cooccurrence']);
    await dlq.start('now');
    try {
      // The same events again (same ids, new offsets), garbage, then a new view of D to wait on.
      await sendInteractions([...first, Buffer.from(`garbage ${suffix}`), view(4, itemD)]);
      await waitFor(async () => (await redis.zscore(keysOf(itemA).cooc, String(itemD))) !== null, {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: 'the view of D paired with A',
      });
      const withoutD = (values: Record<string, string>): Record<string, string> =>
        Object.fromEntries(Object.entries(values).filter(([member]) => member !== String(itemD)));
      expect(withoutD(await scores(keysOf(itemA).cooc))).toEqual(coocA);
      expect(withoutD(await scores(keysOf(itemB).cooc))).toEqual(coocB);
      expect(withoutD(await scores(keysOf(itemA).trans))).toEqual(transA);
      expect(Object.keys(await scores(keysOf(itemD).cooc)).sort()).toEqual([String(itemA), String(itemB), String(itemC)]);

      const letter = await dlq.waitUntil(
        'the garbage record in dlq.cooccurrence',
        (records) => records.map((record) => record.value as unknown as DeadLetter).find((value) => value.value?.data === `garbage ${suffix}`),
        20_000,
      );
      expect(letter).toMatchObject({ processor: 'cooccurrence', code: ErrorCode.PayloadInvalid, source: { topic: 'events.interactions.v1' }, key: { data: user } });
      expect(letter.reason).toContain('single-object marker');
    } finally {
      await dlq.stop();
    }
  });
});
