/**
 * Integration (needs the local stack's Kafka and Redis: `npm run setup`, and `dlq.cooccurrence` from
 * `npm run topics -- apply`): the cooccurrence process, started in-process from the latest offsets
 * under a test-owned state version and consumer groups, turns a user's views of A, B, C into item
 * neighbours and transitions, changes no score on a re-delivery of the same events, and dead-letters
 * a garbage record while later records still apply. On test-owned topics from the start, its daily pair
 * increments equal an independent recount, and a second state version replaying the same records (what a
 * rebuild or a restart after lost state does) commits none of them again, only what follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { ErrorCode, offsetsKey, parseStateVersion, type DeadLetter, type StateVersion } from '@streamrec/foundation';
import { seededRandom } from '@streamrec/streams-common/testing';
import { createEventCodec } from '@streamrec/schemas/avro';
import { type Interaction } from '@streamrec/schemas';
import { itemIdOf, userIdOf, type StreamContext } from '@streamrec/streams-common';
import { startCooccurrence, type RunningCooccurrence } from '@streamrec/cooccurrence/app';
import { parseCooccurrenceConfig } from '@streamrec/cooccurrence/app';
import { USER_STAGE_FIELD, neighbourKeys, pairsProgress } from '@streamrec/cooccurrence';
import { pairDifferences, readPairsTopic, recountPairs } from '../helpers/cooccurrence-recount.js';
import { sendInteractions as sendTestInteractions, testInteraction } from '../helpers/stream-topics.js';
import { CdcTopicReader } from '../helpers/cdc-topic.js';
import { createRedis } from '../helpers/redis.js';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { cleanUpProcessTest, processTestConfig } from '../helpers/process-test.js';
import { waitFor } from '../helpers/wait-for.js';
import { processorGroupIds } from '@streamrec/streams-common';
import { cooccurrenceManifest } from '@streamrec/cooccurrence';
import { createTopicsReady } from '@streamrec/foundation/kafka';

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
  // The live topic from its latest offset: no pair increments (the pairs tests below use their own topics).
  const config = parseCooccurrenceConfig({ ...processTestConfig('cooccurrence', { suffix, version, groupVersion }), topics: { pairs: null } });
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

describe('the pair increments', () => {
  const topics = { interactions: `test.cooc.${suffix}.interactions`, pairs: `test.cooc.${suffix}.pairs`, latePairs: `test.cooc.${suffix}.late-pairs` };
  const versions = [0, 1, 2].map(() => parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`));
  const pairsGroups = [topics.pairs, topics.latePairs].map((pairs) => pairsProgress(pairs, topics.interactions).groupId);
  const runs: { version: StateVersion; groupVersion: string }[] = [];
  const DAY = 86_400_000;
  const start = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
  const actions = ['view', 'view', 'view', 'click', 'download', 'cart', 'favorite', 'purchase'] as const;
  /** A few users browsing 20 items over two days, with re-sent events, in the order they are produced. */
  function stream(from: number, count: number): Interaction[] {
    const random = seededRandom(from + 1);
    const events: Interaction[] = [];
    for (let n = from; n < from + count; n += 1) {
      const again = events.length > 5 && random() < 0.05 ? events[events.length - 1 - Math.floor(random() * 5)] : undefined;
      events.push(again ?? testInteraction(`cooc-pairs-${suffix}`, n, `it-pairs-${suffix}-${Math.floor(random() * 6)}`, firstItem + 10 + Math.floor(random() * 20), actions[Math.floor(random() * actions.length)] ?? 'view', start + n * 600_000));
    }
    return events;
  }
  const sent: Interaction[] = [];

  async function run(index: number, startFrom: 'earliest' | 'latest', pairs: string): Promise<RunningCooccurrence> {
    const run = { version: versions[index] ?? versions[0]!, groupVersion: `test-pairs-${suffix}-${index}` };
    runs.push(run);
    const config = parseCooccurrenceConfig({ ...processTestConfig('cooccurrence', { suffix, ...run }), startFrom, topics: { interactions: topics.interactions, pairs } });
    const running = await startCooccurrence(config, pino({ level: 'silent' }));
    await running.ready();
    return running;
  }

  /** Until the run's user stage stored the interactions topic's end offsets. */
  async function caughtUp(version: StateVersion): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topics.interactions);
      await waitFor(
        async () => {
          for (const { partition, high } of ends) {
            if (high === '0') continue;
            const stored = await redis.hget(offsetsKey(version, partition), USER_STAGE_FIELD);
            if (stored === null || BigInt(stored) < BigInt(high) - 1n) return false;
          }
          return true;
        },
        { timeoutMs: 60_000, intervalMs: 100, description: `the user stage of ${version} at the end of ${topics.interactions}` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  async function skippedBatches(running: RunningCooccurrence, reason: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${running.metricsPort()}/metrics`)).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith('cooccurrence_pair_batches_skipped_total{') && candidate.includes(`reason="${reason}"`));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsReady(admin, { topics: [{ topic: topics.interactions, numPartitions: 6 }] });
    await admin.disconnect();
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups(pairsGroups).catch(() => undefined);
    await admin.disconnect();
    for (const { version: runVersion, groupVersion: runGroups } of runs) {
      await cleanUpProcessTest(kafka, redis, { groups: processorGroupIds(cooccurrenceManifest, runGroups), topics: Object.values(topics), version: runVersion });
    }
  });

  it('commits each interaction’s pairs once: a second state version replaying the topic adds only what follows', async () => {
    const first = stream(0, 150);
    await sendTestInteractions(producer, topics.interactions, first);
    sent.push(...first);
    const one = await run(0, 'earliest', topics.pairs);
    try {
      await caughtUp(versions[0]!);
    } finally {
      await one.stop();
    }
    const recounted = recountPairs(sent);
    expect([...recounted.values()].reduce((sum, total) => sum + total.pairCount, 0)).toBeGreaterThan(50);
    expect(pairDifferences(recounted, await readPairsTopic(kafka, topics.pairs))).toEqual([]);

    // A rebuild into a new version folds the same records again: their pairs are out already.
    const two = await run(1, 'earliest', topics.pairs);
    try {
      await caughtUp(versions[1]!);
      expect(pairDifferences(recounted, await readPairsTopic(kafka, topics.pairs))).toEqual([]);
      expect(await skippedBatches(two, 'already_emitted')).toBeGreaterThan(0);
      // … and it continues the topic where the first process left it.
      const more = stream(150, 60);
      await sendTestInteractions(producer, topics.interactions, more);
      sent.push(...more);
      await caughtUp(versions[1]!);
      expect(pairDifferences(recountPairs(sent), await readPairsTopic(kafka, topics.pairs))).toEqual([]);
    } finally {
      await two.stop();
    }
  });

  it('a process that starts after a partition’s first record starts no pairs topic (it cannot know the pairs before)', async () => {
    // Earlier records of the same users: their partitions' first records are behind the late process.
    await sendTestInteractions(producer, topics.interactions, stream(900, 20));
    const late = await run(2, 'latest', topics.latePairs);
    try {
      const after = stream(1_000, 40);
      await sendTestInteractions(producer, topics.interactions, after);
      await caughtUp(versions[2]!);
      expect(await skippedBatches(late, 'no_chain_start')).toBeGreaterThan(0);
      expect((await readPairsTopic(kafka, topics.latePairs)).size).toBe(0);
    } finally {
      await late.stop();
    }
  });
});
