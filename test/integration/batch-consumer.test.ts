/**
 * Integration (needs the local stack's Kafka and Redis: `npm run setup`): the shared consumer loop
 * applies each record's state exactly once although a crash strikes between the Redis apply and the
 * Kafka commit, and poison records go to the dead-letter topic with their reason while the rest flows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { KafkaJSNonRetriableError, type Admin } from 'kafkajs';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, OpKind, offsetsKey, ownedKey, parseStateVersion, type DeadLetter, type DeadLetterInput, type RecordOps } from '@streamrec/foundation';
import { createProcessorMetrics } from '@streamrec/foundation/metrics';
import { createRedisStateStore } from '@streamrec/foundation/redis';
import { type ConsumedRecord, createTopicsReady, type PartitionBatchHandler, type RunningConsumer, startBatchConsumer } from '@streamrec/foundation/kafka';
import { CdcTopicReader } from '../helpers/cdc-topic.js';
import { createRedis, scanKeys } from '../helpers/redis.js';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const suffix = uniqueSuffix();
const processor = `test-loop-${suffix}`;
const topic = `test.loop.${suffix}`;
const partitions = 3;
const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const kafka = createKafka('test-batch-consumer');
let admin: Admin;
let redis: Redis;
let running: RunningConsumer | undefined;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, { topics: [{ topic, numPartitions: partitions }, { topic: `dlq.${processor}`, numPartitions: 1 }] });
  redis = createRedis();
});

afterAll(async () => {
  await running?.stop();
  await admin.deleteTopics({ topics: [topic, `dlq.${processor}`] }).catch(() => undefined);
  await admin.disconnect();
  const keys = await scanKeys(redis, `sr:${version}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

/** A fresh topic of `partitions` partitions and its processor's DLQ, named after `name`; `remove` deletes both. */
async function scratchTopic(name: string, partitions: number): Promise<{ processor: string; topic: string; dlqTopic: string; remove: () => Promise<void> }> {
  const scratch = uniqueSuffix();
  const processor = `test-${name}-${scratch}`;
  const topic = `test.${name}.${scratch}`;
  const dlqTopic = `dlq.${processor}`;
  await createTopicsReady(admin, { topics: [{ topic, numPartitions: partitions }, { topic: dlqTopic, numPartitions: 1 }] });
  const remove = (): Promise<void> => admin.deleteTopics({ topics: [topic, dlqTopic] }).catch(() => undefined);
  return { processor, topic, dlqTopic, remove };
}

describe('the shared batch consumer', () => {
  it('applies every record once across a crash between state apply and Kafka commit, and dead-letters poison', async () => {
    const users = 40;
    const messages = Array.from({ length: 3_000 }, (_, n) => ({
      key: `user-${n % users}`,
      value: n % 500 === 7 ? `not json ${n}` : JSON.stringify({ n }),
    }));
    const poison = messages.filter((message) => message.value.startsWith('not json')).length;
    const producer = kafka.producer();
    await producer.connect();
    for (let start = 0; start < messages.length; start += 500) await producer.send({ topic, messages: messages.slice(start, start + 500) });
    await producer.disconnect();

    const store = createRedisStateStore(redis);
    let crashes = 0;
    const handler: PartitionBatchHandler = {
      prepare: ({ partition, records }) => {
        const deadLetters: DeadLetterInput[] = [];
        const recordOps: RecordOps[] = [];
        for (const record of records) {
          const user = record.key?.toString() ?? '';
          try {
            JSON.parse(record.value?.toString() ?? '');
          } catch {
            deadLetters.push({ ...record, code: ErrorCode.PayloadInvalid, reason: 'value is not JSON' });
            continue;
          }
          recordOps.push({ offset: record.offset, ops: [{ kind: OpKind.HIncrBy, key: ownedKey(version, partitions, 'user', user, 'counts'), field: 'events', by: 1 }] });
        }
        const lastOffset = records.at(-1)!.offset;
        return Promise.resolve({
          deadLetters,
          eventTimesMs: records.map((record) => record.timestampMs),
          commit: async () => {
            await store.applyBatch({ offsetsKey: offsetsKey(version, partition), field: `${processor}/${topic}`, lastOffset, records: recordOps });
            // The consumer dies right after the atomic apply, before Kafka learns the new position (an error
            // kafkajs does not retry: the loop restarts the consumer, which re-reads from the Kafka commit).
            if (crashes < 3 && lastOffset > 100n) {
              crashes += 1;
              throw new KafkaJSNonRetriableError('simulated crash after apply');
            }
          },
        });
      },
    };
    running = await startBatchConsumer(
      { processor, groupId: `${processor}-group`, topics: [topic], fromBeginning: true, maxRetryDelayMs: 500 },
      { kafka, handler, log: pino({ level: 'silent' }), metrics: createProcessorMetrics(processor), now: Date.now },
    );

    const total = async (): Promise<number> => {
      let sum = 0;
      for (let user = 0; user < users; user++) sum += Number((await redis.hget(ownedKey(version, partitions, 'user', `user-${user}`, 'counts'), 'events')) ?? 0);
      return sum;
    };
    const firstWave = messages.length - poison;
    await waitFor(async () => (await total()) >= firstWave && crashes === 3, { timeoutMs: 120_000, intervalMs: 250, description: `${firstWave} applied records` });
    expect(crashes).toBe(3);
    // Every crash struck after its batch's apply, so the records are all counted already; what the crash
    // changes is where the restarted consumer reads from. Records written now are reached only after it has
    // read its way past the crashed batches again, whose records must not count twice.
    const secondWave = Array.from({ length: 300 }, (_, n) => ({ key: `user-${n % users}`, value: JSON.stringify({ n: messages.length + n }) }));
    const again = kafka.producer();
    await again.connect();
    await again.send({ topic, acks: -1, messages: secondWave });
    await again.disconnect();
    const expected = firstWave + secondWave.length;
    await waitFor(async () => (await total()) >= expected, { timeoutMs: 120_000, intervalMs: 250, description: `${expected} applied records after the restarts` });
    expect(await total()).toBe(expected);
    expect(running.isRunning()).toBe(true);

    const dlq = new CdcTopicReader(kafka, [`dlq.${processor}`]);
    await dlq.start('beginning');
    const letters = await dlq.waitUntil('every poison record in the DLQ', (records) => {
      const unique = new Map(records.map((record) => [JSON.stringify((record.value as unknown as DeadLetter).source), record.value as unknown as DeadLetter]));
      return unique.size >= poison ? [...unique.values()] : undefined;
    });
    await dlq.stop();
    expect(letters).toHaveLength(poison);
    expect(letters[0]).toMatchObject({ processor, code: ErrorCode.PayloadInvalid, reason: 'value is not JSON', value: { encoding: 'utf8' } });
  });
});

describe('dead letters on a retried batch', () => {
  /** A one-partition topic holding two good and two poison records, and its processor's DLQ. */
  async function poisonedTopic(name: string): ReturnType<typeof scratchTopic> {
    const scratch = await scratchTopic(name, 1);
    const { topic } = scratch;
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: ['{"n":1}', 'poison 1', '{"n":2}', 'poison 2'].map((value) => ({ key: 'u', value })) });
    await producer.disconnect();
    return scratch;
  }
  const poisonLetters = (records: readonly ConsumedRecord[]): DeadLetterInput[] =>
    records.filter((record) => record.value?.toString().startsWith('poison') === true).map((record) => ({ ...record, code: ErrorCode.PayloadInvalid, reason: 'value is not JSON' }));
  const lettersIn = async (dlqTopic: string): Promise<number> => (await admin.fetchTopicOffsets(dlqTopic)).reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);

  it('a batch retried after a retriable apply failure sends its dead letters once, not once per attempt', async () => {
    const { processor, topic, dlqTopic, remove } = await poisonedTopic('retry');
    let consumer: RunningConsumer | undefined;
    try {
      let attempts = 0;
      let applied = 0;
      const handler: PartitionBatchHandler = {
        prepare: ({ records }) =>
          Promise.resolve({
            deadLetters: poisonLetters(records),
            eventTimesMs: [],
            commit: () => {
              attempts += 1;
              // Redis unreachable for the first two attempts: retriable, the batch is prepared again.
              if (attempts <= 2) return Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'simulated Redis outage', { retriable: true }));
              applied += records.length;
              return Promise.resolve();
            },
          }),
      };
      consumer = await startBatchConsumer(
        { processor, groupId: `${processor}-group`, topics: [topic], fromBeginning: true, maxRetryDelayMs: 200 },
        { kafka, handler, log: pino({ level: 'silent' }), metrics: createProcessorMetrics(processor), now: Date.now },
      );
      await waitFor(() => applied === 4, { timeoutMs: 60_000, description: 'the batch applied after two failed attempts' });
      expect(attempts).toBeGreaterThanOrEqual(3);
      expect(await lettersIn(dlqTopic)).toBe(2);
    } finally {
      await consumer?.stop();
      await remove();
    }
  });

  it('a batch read again after the state store went back in time (REC_STATE_GAP) sends its dead letters once', async () => {
    const { processor, topic, dlqTopic, remove } = await poisonedTopic('gap');
    let consumer: RunningConsumer | undefined;
    try {
      let commits = 0;
      const applied: bigint[] = [];
      const handler: PartitionBatchHandler = {
        prepare: ({ records }) =>
          Promise.resolve({
            deadLetters: poisonLetters(records),
            eventTimesMs: [],
            commit: () => {
              commits += 1;
              // The first apply finds the store behind the consumer: the loop seeks back and reads the batch again.
              if (commits === 1) return Promise.reject(new AppError(ErrorCode.StateOffsetGap, 'simulated rollback', { retriable: true, details: { resumeAt: records[0]!.offset.toString() } }));
              applied.push(...records.map((record) => record.offset));
              return Promise.resolve();
            },
          }),
      };
      const metrics = createProcessorMetrics(processor);
      consumer = await startBatchConsumer(
        { processor, groupId: `${processor}-group`, topics: [topic], fromBeginning: true, maxRetryDelayMs: 200 },
        { kafka, handler, log: pino({ level: 'silent' }), metrics, now: Date.now },
      );
      await waitFor(() => applied.length === 4, { timeoutMs: 60_000, description: 'the batch applied after the re-read' });
      expect(applied).toEqual([0n, 1n, 2n, 3n]);
      expect(commits).toBeGreaterThanOrEqual(2);
      expect(await lettersIn(dlqTopic)).toBe(2);
      expect(await metrics.registry.getSingleMetricAsString('stream_state_gaps_total')).toMatch(/stream_state_gaps_total\{[^}]*\} 1/);
    } finally {
      await consumer?.stop();
      await remove();
    }
  });
});

describe('a crash kafkajs does not restart', () => {
  /** A consumer over a fresh one-partition topic holding `values`, whose handler is `prepare`. */
  /** The loop's log lines, kept in order (pino writes to the stream synchronously). */
  type LogLine = { readonly msg: string; readonly recovery?: string };
  async function consumerOf(name: string, values: readonly string[], prepare: PartitionBatchHandler['prepare'], logLines: LogLine[] = []) {
    const { processor: crashProcessor, topic: crashTopic, remove } = await scratchTopic(name, 1);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: crashTopic, acks: -1, messages: values.map((value) => ({ key: 'u', value })) });
    await producer.disconnect();
    const metrics = createProcessorMetrics(crashProcessor);
    const consumer = await startBatchConsumer(
      { processor: crashProcessor, groupId: `${crashProcessor}-group`, topics: [crashTopic], fromBeginning: true, maxRetryDelayMs: 200 },
      { kafka, handler: { prepare }, log: pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line) as LogLine) }), metrics, now: Date.now },
    );
    const cleanup = async (): Promise<void> => {
      await consumer.stop();
      await remove();
    };
    return { consumer, metrics, cleanup };
  }

  it('is restarted by the loop when kafkajs gave up on a broker or client error: every record is applied and the consumer is running again', async () => {
    const values = Array.from({ length: 50 }, (_, n) => `r${n}`);
    const applied = new Set<string>();
    let failures = 0;
    const { consumer, metrics, cleanup } = await consumerOf('client-crash', values, ({ records }) => {
      // The first batch meets an error kafkajs deems final (as after a broker restart reset a producer).
      if (failures === 0) {
        failures += 1;
        return Promise.reject(new KafkaJSNonRetriableError('simulated: the broker no longer knows this producer'));
      }
      return Promise.resolve({ deadLetters: [], eventTimesMs: [], commit: () => Promise.resolve(void records.forEach((record) => applied.add(record.value?.toString() ?? ''))) });
    });
    try {
      await waitFor(() => applied.size === values.length, { timeoutMs: 90_000, description: 'every record applied after the restart' });
      expect(failures).toBe(1);
      expect(consumer.isRunning()).toBe(true);
      const restarts = (await metrics.registry.getSingleMetricAsString('stream_consumer_restarts_total')).split('\n').filter((line) => !line.startsWith('#'));
      expect(restarts).toContainEqual(expect.stringMatching(/^stream_consumer_restarts_total\{by="loop",processor="[^"]+"\} 1$/));
    } finally {
      await cleanup();
    }
  });

  it('is not restarted when the handler refused on purpose: the consumer stays stopped and reports it', async () => {
    let prepared = 0;
    const logLines: LogLine[] = [];
    const { consumer, cleanup } = await consumerOf(
      'refusal',
      ['a', 'b'],
      () => {
        prepared += 1;
        return Promise.reject(new AppError(ErrorCode.StatePartiallyApplied, 'simulated: a state batch was partly applied', { retriable: false }));
      },
      logLines,
    );
    try {
      await waitFor(() => !consumer.isRunning(), { timeoutMs: 60_000, description: 'the consumer to stop' });
      // The crash handler decides and schedules any restart in the same turn in which it stops the consumer.
      expect(logLines.filter((line) => line.msg === 'consumer crashed').map((line) => line.recovery)).toEqual(['stop']);
      expect(logLines.some((line) => line.msg.startsWith('kafkajs gave up on the consumer'))).toBe(false);
      expect(prepared).toBe(1);
    } finally {
      await cleanup();
    }
  });

});

describe('a log that no longer matches the stored offsets', () => {
  it('pauses a partition whose log was truncated below its stored offset or deleted past it, or a new state\'s partition whose first records were deleted, with an error metric, while the others flow', async () => {
    const { processor: logProcessor, topic: logTopic, remove } = await scratchTopic('log', 4);
    let consumer: RunningConsumer | undefined;
    try {
      const producer = kafka.producer();
      await producer.connect();
      for (const partition of [0, 1, 2, 3]) {
        await producer.send({ topic: logTopic, acks: -1, messages: Array.from({ length: 5 }, (_, n) => ({ partition, value: `p${partition}-${n}` })) });
      }
      await producer.disconnect();
      // Partitions 1 and 3 lose their first four and two records to retention before the state applied them.
      // (The admin's metadata of the new topic may lag its creation: retried until the broker takes it.)
      await waitFor(
        async () => {
          await admin.fetchTopicMetadata({ topics: [logTopic] });
          await admin.deleteTopicRecords({ topic: logTopic, partitions: [{ partition: 1, offset: '4' }, { partition: 3, offset: '2' }] });
          return true;
        },
        { timeoutMs: 30_000, description: 'the first records of partitions 1 and 3 to be deleted' },
      );
      // The state says: partition 0 applied through offset 9 (the log ends at 4: truncated), partition 1
      // through offset 0 (the log now starts at 4: deleted), partition 2 through offset 1 (fine); partition 3
      // has no stored offset (a new state from the beginning), but its log now starts at 2.
      const stored = new Map([[0, 9n], [1, 0n], [2, 1n]]);
      const applied: string[] = [];
      const handler: PartitionBatchHandler = {
        prepare: ({ records }) => Promise.resolve({ deadLetters: [], eventTimesMs: [], commit: () => Promise.resolve(void applied.push(...records.map((record) => record.value?.toString() ?? ''))) }),
      };
      const metrics = createProcessorMetrics(logProcessor);
      consumer = await startBatchConsumer(
        { processor: logProcessor, groupId: `${logProcessor}-group`, topics: [logTopic], fromBeginning: true, maxRetryDelayMs: 200 },
        { kafka, handler, log: pino({ level: 'silent' }), metrics, now: Date.now, storedOffset: (_topic, partition) => Promise.resolve(stored.get(partition)) },
      );
      await waitFor(() => applied.length === 3, { timeoutMs: 60_000, description: 'partition 2 to apply offsets 2..4' });
      expect(applied).toEqual(['p2-2', 'p2-3', 'p2-4']);
      const gauge = (await metrics.registry.getSingleMetricAsString('stream_partition_log_mismatch')).split('\n').filter((line) => !line.startsWith('#'));
      expect(gauge).toEqual(
        expect.arrayContaining([
          `stream_partition_log_mismatch{topic="${logTopic}",partition="0",kind="truncated",processor="${logProcessor}"} 1`,
          `stream_partition_log_mismatch{topic="${logTopic}",partition="1",kind="deleted",processor="${logProcessor}"} 1`,
          `stream_partition_log_mismatch{topic="${logTopic}",partition="3",kind="deleted",processor="${logProcessor}"} 1`,
        ]),
      );
      expect(applied).toEqual(['p2-2', 'p2-3', 'p2-4']);
    } finally {
      await consumer?.stop();
      await remove();
    }
  });
});

describe('a state rolled back to before the log start', () => {
  it('pauses the partition as a deleted-log mismatch instead of re-reading from the log start (which would skip what retention deleted)', async () => {
    const { processor: gapProcessor, topic: gapTopic, remove } = await scratchTopic('rollback', 1);
    let consumer: RunningConsumer | undefined;
    try {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: gapTopic, acks: -1, messages: Array.from({ length: 10 }, (_, n) => ({ partition: 0, value: `r${n}` })) });
      await producer.disconnect();
      // Retention deleted offsets 0..4, which the state had applied (it stands at 5).
      await waitFor(
        async () => {
          await admin.fetchTopicMetadata({ topics: [gapTopic] });
          await admin.deleteTopicRecords({ topic: gapTopic, partitions: [{ partition: 0, offset: '5' }] });
          return true;
        },
        { timeoutMs: 30_000, description: 'offsets 0..4 to be deleted' },
      );
      // Then the state store goes back to offset 2 under the running consumer (a Redis restart from an old
      // snapshot): its first apply is refused with "resume at 3", below the log start 5.
      let commits = 0;
      const applied: string[] = [];
      const handler: PartitionBatchHandler = {
        prepare: ({ records }) =>
          Promise.resolve({
            deadLetters: [],
            eventTimesMs: [],
            commit: () => {
              commits += 1;
              if (commits === 1) return Promise.reject(new AppError(ErrorCode.StateOffsetGap, 'simulated rollback', { retriable: true, details: { resumeAt: '3' } }));
              applied.push(...records.map((record) => record.value?.toString() ?? ''));
              return Promise.resolve();
            },
          }),
      };
      const metrics = createProcessorMetrics(gapProcessor);
      consumer = await startBatchConsumer(
        { processor: gapProcessor, groupId: `${gapProcessor}-group`, topics: [gapTopic], fromBeginning: true, maxRetryDelayMs: 200 },
        { kafka, handler, log: pino({ level: 'silent' }), metrics, now: Date.now, storedOffset: () => Promise.resolve(5n) },
      );
      const gauge = async (): Promise<string[]> => (await metrics.registry.getSingleMetricAsString('stream_partition_log_mismatch')).split('\n').filter((line) => !line.startsWith('#'));
      await waitFor(async () => (await gauge()).includes(`stream_partition_log_mismatch{topic="${gapTopic}",partition="0",kind="deleted",processor="${gapProcessor}"} 1`), {
        timeoutMs: 60_000,
        description: 'the partition paused as deleted',
      });
      expect(commits).toBe(1);
      // Paused: nothing of it is applied, not even after a while (a re-read from the log start would apply r5..r9).
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(applied).toEqual([]);
      expect(consumer.isRunning()).toBe(true);
    } finally {
      await consumer?.stop();
      await remove();
    }
  });
});

describe('the consumer lag metric', () => {
  it('shows a stuck consumer falling behind although no batch completes', async () => {
    const stuckTopic = `test.lag.${suffix}`;
    await createTopicsReady(admin, { topics: [{ topic: stuckTopic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: stuckTopic, messages: Array.from({ length: 25 }, (_, n) => ({ key: String(n), value: Buffer.from('x') })) });
    await producer.disconnect();
    const metrics = createProcessorMetrics(`test_lag_${suffix.replace(/\W/g, '_')}`);
    // Every batch fails with a retriable error: the loop keeps retrying the first batch and never completes one.
    const handler: PartitionBatchHandler = { prepare: () => Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'redis down', { retriable: true })) };
    const stuck = await startBatchConsumer(
      { processor: `test-lag-${suffix}`, groupId: `test-lag-${suffix}`, topics: [stuckTopic], fromBeginning: true, maxRetryDelayMs: 200, lagIntervalMs: 200 },
      { kafka, handler, log: pino({ level: 'silent' }), metrics, now: Date.now, storedOffset: () => Promise.resolve(undefined) },
    );
    try {
      const lag = async (): Promise<number | undefined> => (await metrics.lag.get()).values.find((value) => value.labels['topic'] === stuckTopic)?.value;
      await waitFor(async () => (await lag()) === 25, { timeoutMs: 30_000, intervalMs: 100, description: 'the lag gauge to show the 25 unapplied records' });
      expect((await metrics.events.get()).values.reduce((sum, value) => sum + value.value, 0)).toBe(0);
    } finally {
      await stuck.stop();
      await admin.deleteGroups([`test-lag-${suffix}`]).catch(() => undefined);
      await admin.deleteTopics({ topics: [stuckTopic] }).catch(() => undefined);
    }
  });
});

describe('a group that starts at the log end', () => {
  it('keeps the start of its first assignment for partitions with nothing committed: what was written while it crashed and rejoined is read, what came before it is not', async () => {
    const { processor: latestProcessor, topic: latestTopic, remove } = await scratchTopic('latest', 2);
    const producer = kafka.producer();
    await producer.connect();
    const write = (partition: number, value: string): Promise<unknown> => producer.send({ topic: latestTopic, acks: -1, messages: [{ partition, value }] });
    // Written before the consumer started: not for it to read.
    await write(0, 'before 0');
    await write(1, 'before 1');
    const applied: string[] = [];
    const assigned: string[] = [];
    let crashed = false;
    const consumer = await startBatchConsumer(
      { processor: latestProcessor, groupId: `${latestProcessor}-group`, topics: [latestTopic], fromBeginning: false, maxRetryDelayMs: 200 },
      {
        kafka,
        handler: {
          prepare: async ({ records }) => {
            if (!crashed) {
              crashed = true;
              // While this batch holds the loop, a record reaches partition 1, which has nothing committed;
              // then the consumer dies (as when the broker went away) and rejoins with nothing committed anywhere.
              await write(1, 'during the crash');
              throw new KafkaJSNonRetriableError('simulated: the broker went away');
            }
            return { deadLetters: [], eventTimesMs: [], commit: () => Promise.resolve(void records.forEach((record) => applied.push(record.value?.toString() ?? ''))) };
          },
        },
        log: pino({ level: 'info' }, { write: (line: string) => void assigned.push(...[(JSON.parse(line) as { msg: string }).msg].filter((msg) => msg === 'partitions assigned')) }),
        metrics: createProcessorMetrics(latestProcessor),
        now: Date.now,
      },
    );
    try {
      await waitFor(() => assigned.length >= 1, { timeoutMs: 60_000, description: 'the first assignment' });
      await write(0, 'first');
      await waitFor(() => crashed && assigned.length >= 2, { timeoutMs: 90_000, description: 'the crash and the rejoin' });
      // Once each partition's record written after the rejoin is applied, whatever it was going to read before it was too.
      await write(0, 'after the rejoin 0');
      await write(1, 'after the rejoin 1');
      await waitFor(() => applied.includes('after the rejoin 0') && applied.includes('after the rejoin 1'), { timeoutMs: 60_000, description: 'the records written after the rejoin' });
      expect([...applied].sort()).toEqual(['after the rejoin 0', 'after the rejoin 1', 'during the crash', 'first']);
    } finally {
      await consumer.stop();
      await producer.disconnect();
      await remove();
    }
  });
});
