/**
 * Integration (needs the local stack's Kafka and Redis: `npm run setup`): on partition assignment the
 * consumer loop seeks to the offset stored with the state, so a features process under a brand-new
 * consumer group (no Kafka commits) resumes after what its state version already holds instead of
 * re-reading it; and a `startAt` run into an empty version skips the records before that time.
 * Observed through `stream_events_total` (records handed to the stages), not only through the state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Partitioners, type Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { offsetsKey, parseStateVersion, partitionForKey } from '@streamrec/foundation';
import { userIdOf } from '@streamrec/streams-common';
import { startFeatures, type RunningFeatures } from '@streamrec/features/app';
import { parseFeaturesConfig } from '@streamrec/features/app';
import { USER_STAGE_FIELD } from '@streamrec/features';
import { userFeatureKeys } from '@streamrec/features';
import { createRedis, scanKeys } from '../helpers/redis.js';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { cleanUpProcessTest, processTestConfig } from '../helpers/process-test.js';
import { createStreamTopics, eventsTotal, sendCatalogue, sendInteractions, streamTopicsFor, testCatalogueItem, testInteraction } from '../helpers/stream-topics.js';
import { waitFor } from '../helpers/wait-for.js';
import { processorGroupIds } from '@streamrec/streams-common';
import { featuresManifest } from '@streamrec/features';

const suffix = uniqueSuffix();
const topics = streamTopicsFor(`seek.${suffix}`);
const versionNumber = 900_000 + Math.floor(Math.random() * 90_000);
const version = parseStateVersion(`v${versionNumber}`);
const timestampVersion = parseStateVersion(`v${versionNumber + 1}`);
const kafka = createKafka('test-seek-on-assign');
const user = userIdOf(`it-seek-${suffix}`);
const userPartition = partitionForKey(user, 6);
const item = 8_100_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
const base = Date.now() - 600_000;
const groups: string[] = [];
let redis: Redis;
let producer: Producer;
const running: RunningFeatures[] = [];

async function start(run: { version: string; groupVersion: string; startAt?: number }): Promise<RunningFeatures> {
  groups.push(...processorGroupIds(featuresManifest, run.groupVersion));
  const config = parseFeaturesConfig({
    ...processTestConfig('features', { suffix, version: run.version, groupVersion: run.groupVersion }),
    startFrom: 'earliest',
    startAt: run.startAt,
    topics,
  });
  const app = await startFeatures(config, pino({ level: 'silent' }));
  running.push(app);
  await app.ready();
  return app;
}

async function stop(app: RunningFeatures): Promise<void> {
  running.splice(running.indexOf(app), 1);
  await app.stop();
}

const views = async (stateVersion: typeof version): Promise<string | null> =>
  redis.hget(userFeatureKeys({ version: stateVersion, userPartitions: 6, itemPartitions: 6 }, user).counts, 'view');

beforeAll(async () => {
  redis = createRedis();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await createStreamTopics(kafka, topics);
  await sendCatalogue(producer, topics.items, [testCatalogueItem(item, 'finance', ['rates'], base)]);
});

afterAll(async () => {
  for (const app of running.splice(0)) await app.stop();
  await producer.disconnect();
  await cleanUpProcessTest(kafka, redis, { groups, topics: [topics.interactions, topics.items, topics.itemActivity, topics.exposures, topics.users], version });
  await cleanUpProcessTest(kafka, redis, { groups: [], version: timestampVersion });
  await redis.quit();
});

describe('seek on assignment', () => {
  it('resumes a new consumer group after the offset its state holds, without re-reading', async () => {
    // Five views at record time base+1s…5s, then a gap, so the timestamp test below can start in between.
    const early = [1, 2, 3, 4, 5].map((n) => testInteraction(suffix, n, user, item, 'view', base + n * 1_000));
    for (const value of early) await sendInteractions(producer, topics.interactions, [value], value.event_time);
    const first = await start({ version, groupVersion: `seek-a-${suffix}` });
    await waitFor(async () => (await views(version)) === '5', { timeoutMs: 60_000, intervalMs: 100, description: 'five views applied' });
    const stored = await redis.hget(offsetsKey(version, userPartition), USER_STAGE_FIELD);
    expect(stored).toBe('4');
    await stop(first);

    // A fresh group has no commits: without the seek it would re-read offsets 0…4 from `earliest`.
    const second = await start({ version, groupVersion: `seek-b-${suffix}` });
    const later = [6, 7].map((n) => testInteraction(suffix, n, user, item, 'view', base + 300_000 + n * 1_000));
    await sendInteractions(producer, topics.interactions, later, base + 300_000);
    await waitFor(async () => (await views(version)) === '7', { timeoutMs: 60_000, intervalMs: 100, description: 'the two later views applied' });
    await waitFor(async () => (await eventsTotal(second.metricsPort(), topics.itemActivity)) >= 2, { timeoutMs: 30_000, intervalMs: 100, description: 'item stage applied the later activity' });
    expect(await eventsTotal(second.metricsPort(), topics.interactions)).toBe(2);
    expect(await eventsTotal(second.metricsPort(), topics.itemActivity)).toBe(2);
    expect(await redis.hget(offsetsKey(version, userPartition), USER_STAGE_FIELD)).toBe('6');
    await stop(second);
  });

  it('rebuilds state that was lost although its consumer group had committed everything', async () => {
    // Group seek-b committed all seven records; the state behind it disappears (Redis lost, FLUSHALL).
    const keys = await scanKeys(redis, `sr:${version}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    const app = await start({ version, groupVersion: `seek-b-${suffix}` });
    await waitFor(async () => (await views(version)) === '7', { timeoutMs: 60_000, intervalMs: 100, description: 'all seven views applied again' });
    expect(await eventsTotal(app.metricsPort(), topics.interactions)).toBe(7);
    await stop(app);
  });

  it('starts partitions without a stored offset at startAt, skipping the records before it', async () => {
    const app = await start({ version: timestampVersion, groupVersion: `seek-c-${suffix}`, startAt: base + 100_000 });
    await waitFor(async () => (await views(timestampVersion)) === '2', { timeoutMs: 60_000, intervalMs: 100, description: 'the two views after startAt' });
    expect(await eventsTotal(app.metricsPort(), topics.interactions)).toBe(2);
    expect(await redis.hget(offsetsKey(timestampVersion, userPartition), USER_STAGE_FIELD)).toBe('6');
  });
});
