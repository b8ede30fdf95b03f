/**
 * Integration (Kafka of the local stack, and a Redis of its own started here): the state store goes back in
 * time under a running consumer — Redis restarted from an older RDB, as a restart with AOF `everysec` or a
 * failover loses the last writes — without any rebalance. The apply script fences on continuity (a batch
 * read from beyond stored + 1 is refused) and the consumer re-reads from the stored offset, so the state
 * re-converges to a clean pass: every record counted exactly once — for the shared loop with a counting
 * handler, and for the real features process (its user and item stages) under a stream of interactions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Admin } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpKind, offsetsKey, ownedKey, parseStateVersion, type RecordOps, type StateStore, type StateVersion } from '@streamrec/foundation';
import { FeaturesRun } from '../helpers/features-run.js';
import { createTopicsReady, type PartitionBatchHandler, type RunningConsumer, startBatchConsumer } from '@streamrec/foundation/kafka';
import { createProcessorMetrics } from '@streamrec/foundation/metrics';
import { createRedisStateStore } from '@streamrec/foundation/redis';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const suffix = uniqueSuffix();
const processor = `test-rollback-${suffix}`;
const topic = `test.rollback.${suffix}`;
const partitions = 3;
const users = 30;
const wave = 1_500;
const version = parseStateVersion('v900001');
const kafka = createKafka('test-state-rollback');
let admin: Admin;
let dir: string;
let port: number;
let server: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
}

/**
 * redis-server on `port` with its data in `dir`: no AOF, no automatic snapshots (the test takes them). The
 * processes it starts log in as the stack's processor user, which this server takes with any password.
 */
async function startRedis(): Promise<void> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--appendonly', 'no', '--save', '', '--user', 'streamrec-processor', 'on', 'nopass', '~*', '&*', '+@all'], { stdio: 'ignore' });
  server = child;
  const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined); // refused until the server listens
  await waitFor(
    async () => {
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        probe.disconnect();
        return false;
      }
    },
    { timeoutMs: 30_000, intervalMs: 100, description: 'the test Redis to answer' },
  );
  probe.disconnect();
}

async function stopRedis(): Promise<void> {
  const child = server;
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function produce(values: readonly { key: string; value: string }[], to = topic): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  for (let start = 0; start < values.length; start += 500) await producer.send({ topic: to, acks: -1, messages: values.slice(start, start + 500) });
  await producer.disconnect();
}

const waveOf = (n: number) => Array.from({ length: wave }, (_, i) => ({ key: `user-${(n * wave + i) % users}`, value: `${n}:${i}` }));

/** Counts each record once per user key in `stateVersion`, applying with the consumer's read position. */
function countingHandler(redis: Redis, store: StateStore, stateVersion: StateVersion, field: string): { handler: PartitionBatchHandler; counted: () => Promise<number> } {
  const handler: PartitionBatchHandler = {
    prepare: ({ partition, records, readFrom }) => {
      const recordOps: RecordOps[] = records.map((record) => ({
        offset: record.offset,
        ops: [{ kind: OpKind.HIncrBy, key: ownedKey(stateVersion, partitions, 'user', record.key?.toString() ?? '', 'counts'), field: 'events', by: 1 }],
      }));
      const lastOffset = records.at(-1)!.offset;
      return Promise.resolve({
        deadLetters: [],
        eventTimesMs: [],
        commit: async () => {
          await store.applyBatch({ offsetsKey: offsetsKey(stateVersion, partition), field, lastOffset, readFrom, records: recordOps });
        },
      });
    },
  };
  const counted = async (): Promise<number> => {
    let sum = 0;
    for (let user = 0; user < users; user++) sum += Number((await redis.hget(ownedKey(stateVersion, partitions, 'user', `user-${user}`, 'counts'), 'events').catch(() => null)) ?? 0);
    return sum;
  };
  return { handler, counted };
}

/** Every partition of `of` stored at its last record, then each user counted exactly once per record of `waves`. */
async function expectExactlyOnce(redis: Redis, store: StateStore, stateVersion: StateVersion, field: string, of: string, waves: readonly { key: string }[][]): Promise<void> {
  const ends = await admin.fetchTopicOffsets(of);
  await waitFor(
    async () => {
      for (const { partition, high } of ends) if ((await store.storedOffset(offsetsKey(stateVersion, partition), field)) !== BigInt(high) - 1n) return false;
      return true;
    },
    { timeoutMs: 60_000, description: 'every partition stored at its last record' },
  );
  const expected = new Map<string, number>();
  for (const values of waves) for (const { key } of values) expected.set(key, (expected.get(key) ?? 0) + 1);
  for (const [user, count] of expected) expect(Number(await redis.hget(ownedKey(stateVersion, partitions, 'user', user, 'counts'), 'events')), user).toBe(count);
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, { topics: [{ topic, numPartitions: partitions }, { topic: `dlq.${processor}`, numPartitions: 1 }] });
  dir = await mkdtemp(join(tmpdir(), 'streamrec-rollback-'));
  port = await freePort();
  await startRedis();
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic, `dlq.${processor}`] }).catch(() => undefined);
  await admin.disconnect();
  await stopRedis();
  await rm(dir, { recursive: true, force: true });
});

describe('a state store rolled back under a running consumer', () => {
  it('refuses the batch after the gap, re-reads from the stored offset and converges to exactly one count per record', async () => {
    const redis = new Redis({ port, maxRetriesPerRequest: 3 });
    redis.on('error', () => undefined); // the restart below refuses connections for a moment
    const store = createRedisStateStore(redis);
    const metrics = createProcessorMetrics(processor);
    const field = `${processor}/${topic}`;
    const { handler, counted } = countingHandler(redis, store, version, field);
    let consumer: RunningConsumer | undefined;
    try {
      await produce(waveOf(0));
      consumer = await startBatchConsumer(
        { processor, groupId: `${processor}-group`, topics: [topic], fromBeginning: true, maxRetryDelayMs: 500 },
        { kafka, handler, log: pino({ level: 'silent' }), metrics, now: Date.now, storedOffset: (_topic, partition) => store.storedOffset(offsetsKey(version, partition), field) },
      );
      await waitFor(async () => (await counted()) === wave, { timeoutMs: 90_000, description: 'the first wave applied' });

      // The snapshot Redis will come back from.
      await redis.save();
      await copyFile(join(dir, 'dump.rdb'), join(dir, 'older.rdb'));

      await produce(waveOf(1));
      await waitFor(async () => (await counted()) === 2 * wave, { timeoutMs: 90_000, description: 'the second wave applied' });

      // Redis dies and restarts from the older snapshot; the consumer keeps its assignment and position.
      await stopRedis();
      await copyFile(join(dir, 'older.rdb'), join(dir, 'dump.rdb'));
      const third = produce(waveOf(2));
      await startRedis();
      await third;

      await waitFor(async () => (await counted()) === 3 * wave, { timeoutMs: 120_000, intervalMs: 250, description: 'every record of the three waves counted' });
      // Caught up: every partition's stored offset is its last record, and nothing is counted twice.
      await expectExactlyOnce(redis, store, version, field, topic, [waveOf(0), waveOf(1), waveOf(2)]);
      expect(await counted()).toBe(3 * wave);
      const gaps = (await metrics.registry.getSingleMetricAsString('stream_state_gaps_total')).split('\n').filter((line) => !line.startsWith('#'));
      expect(gaps.length).toBeGreaterThan(0);
      expect(consumer.isRunning()).toBe(true);
    } finally {
      await consumer?.stop();
      redis.disconnect();
    }
  });

  it('re-reads from the log start when Redis comes back from before the partitions\' first apply', async () => {
    const freshTopic = `${topic}.fresh`;
    await createTopicsReady(admin, { topics: [{ topic: freshTopic, numPartitions: partitions }] });
    const redis = new Redis({ port, maxRetriesPerRequest: 3 });
    redis.on('error', () => undefined); // the restart below refuses connections for a moment
    const store = createRedisStateStore(redis);
    const metrics = createProcessorMetrics(processor);
    const freshVersion = parseStateVersion('v900003');
    const field = `${processor}/${freshTopic}`;
    const { handler, counted } = countingHandler(redis, store, freshVersion, field);
    let consumer: RunningConsumer | undefined;
    try {
      // The snapshot Redis will come back from: nothing of this version applied yet.
      await redis.save();
      await copyFile(join(dir, 'dump.rdb'), join(dir, 'before-first.rdb'));
      await produce(waveOf(0), freshTopic);
      consumer = await startBatchConsumer(
        { processor, groupId: `${processor}-fresh-group`, topics: [freshTopic], fromBeginning: true, maxRetryDelayMs: 500 },
        { kafka, handler, log: pino({ level: 'silent' }), metrics, now: Date.now, storedOffset: (_topic, partition) => store.storedOffset(offsetsKey(freshVersion, partition), field) },
      );
      await waitFor(async () => (await counted()) === wave, { timeoutMs: 90_000, description: 'the first wave applied' });

      // Redis dies and restarts with no offset of this version: without the fence the consumer would go
      // on from its position and the first wave would be lost for good.
      await stopRedis();
      await copyFile(join(dir, 'before-first.rdb'), join(dir, 'dump.rdb'));
      const second = produce(waveOf(1), freshTopic);
      await startRedis();
      await second;

      await waitFor(async () => (await counted()) === 2 * wave, { timeoutMs: 120_000, intervalMs: 250, description: 'both waves counted' });
      await expectExactlyOnce(redis, store, freshVersion, field, freshTopic, [waveOf(0), waveOf(1)]);
      expect(await counted()).toBe(2 * wave);
      const gaps = (await metrics.registry.getSingleMetricAsString('stream_state_gaps_total')).split('\n').filter((line) => !line.startsWith('#'));
      expect(gaps.length).toBeGreaterThan(0);
    } finally {
      await consumer?.stop();
      redis.disconnect();
      await admin.deleteTopics({ topics: [freshTopic] }).catch(() => undefined);
    }
  });
});

describe('the features process with its Redis rolled back under load', () => {
  it('re-applies what Redis lost: every item count equals the distinct events per item of the generated data', async () => {
    const redis = new Redis({ port, maxRetriesPerRequest: 3 });
    redis.on('error', () => undefined); // the restart below refuses connections for a moment
    const logFile = join(dir, 'features.log');
    const run = new FeaturesRun(kafka, admin, redis, { tag: `rbf-${suffix}`, version: parseStateVersion('v900002'), events: 24_000, seed: 7, logFile, env: { STREAMREC_REDIS_PORT: String(port) } });
    try {
      await run.prepare();
      await run.sendChunk(0, 3);
      run.process.start();
      await run.caughtUp('the first third');
      await redis.save();
      await copyFile(join(dir, 'dump.rdb'), join(dir, 'features-older.rdb'));
      await run.sendChunk(1, 3);
      await run.caughtUp('the second third');

      // Redis dies and comes back from the snapshot after the first third while the last third streams in.
      await stopRedis();
      await copyFile(join(dir, 'features-older.rdb'), join(dir, 'dump.rdb'));
      const streaming = run.sendChunk(2, 3);
      await startRedis();
      await streaming;
      await run.caughtUp('every interaction');

      const counts = await run.countDifferences();
      expect(counts.wrong.slice(0, 10)).toEqual([]);
      expect(counts.total).toBe(counts.expectedTotal);
      // The fence is what re-applied the lost third: the process said so.
      expect(await readFile(logFile, 'utf8')).toContain('the state store is behind the consumer');
    } finally {
      await run.cleanup();
      redis.disconnect();
    }
  }, 900_000);
});
