// Integration (a Kafka cluster of its own beside the local stack): the production durability profile on three
// real brokers. The test starts three KRaft nodes (each broker and controller, three voters) from the stack's
// jars (infra/local/kafka-cluster.sh, PLAINTEXT on 127.0.0.1, data in a temp dir) and points
// `npm run topics -- apply --profile production` at them with a test-owned topics file: the topics get 3
// replicas and an explicit min.insync.replicas 2. An idempotent acks=all producer then sends 2,000 numbered
// records while one broker is killed with SIGKILL part way through: every acknowledged record is in the topic
// exactly once (failed sends are re-sent as they were, which idempotence makes safe). With two of the three
// brokers down an acks=all write is not acknowledged; when they return the acknowledged records are intact.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import kafkajs, { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileTopicSettles } from '@streamrec/foundation/kafka';
import { CLUSTER_NODES, KafkaTestCluster } from '../helpers/kafka-cluster.js';
import { repoRoot, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const { ConfigResourceTypes } = kafkajs; // CommonJS: not an ESM named export
const suffix = uniqueSuffix();
const names = { events: `test.durability-cluster.${suffix}.events`, state: `test.durability-cluster.${suffix}.state` } as const;
const PARTITIONS = 3;
const BATCH_SIZE = 20;
const BATCHES = 100; // 2,000 records, batch b to partition b % 3
const KILL_AT_BATCH = 30; // partition 0's sender kills partition 0's leader before its batch 30 (a third of the way)
const RECORDS = BATCH_SIZE * BATCHES;

let cluster: KafkaTestCluster | undefined;
let kafka: Kafka;
let admin: Admin;
let topicsFile: string;

beforeAll(async () => {
  cluster = await KafkaTestCluster.create();
  await cluster.start();
  await cluster.waitUntilServing(180_000);
  kafka = cluster.kafka(`test-durability-cluster-${suffix}`);
  admin = kafka.admin();
  await admin.connect();
  topicsFile = join(cluster.dir, 'topics.json');
  const { durability } = JSON.parse(await readFile(join(repoRoot, 'schemas', 'topics.json'), 'utf8')) as { durability: unknown };
  const topics = [
    { name: names.events, partitions: PARTITIONS, config: { 'cleanup.policy': 'delete', 'retention.ms': '86400000' } },
    { name: names.state, partitions: 1, config: { 'cleanup.policy': 'compact' } },
  ];
  await writeFile(topicsFile, JSON.stringify({ durability, topics }));
}, 240_000);

afterAll(async () => {
  await admin?.disconnect().catch(() => undefined);
  await cluster?.destroy();
}, 120_000);

function topicsCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // The test cluster is PLAINTEXT: empty credentials, over those .stack/secrets.env gives the admin role, make the CLI send none.
  const env = { ...process.env, STREAMREC_TOPICS_FILE: topicsFile, STREAMREC_KAFKA_BROKERS: cluster!.brokers.join(','), STREAMREC_KAFKA_ADMIN_PASSWORD: '', STREAMREC_KAFKA_USER: '', STREAMREC_KAFKA_PASSWORD: '' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/topics/src/cli.ts', ...args], { cwd: repoRoot, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/**
 * The topic's partitions. The admin asks any of the three brokers, and one whose metadata image is behind
 * answers UNKNOWN_TOPIC_OR_PARTITION for a topic another broker created a moment ago: asked again until it knows.
 */
async function partitionsOf(topic: string): Promise<Array<{ partitionId: number; leader: number; replicas: number[]; isr: number[] }>> {
  const metadata = await whileTopicSettles(() => admin.fetchTopicMetadata({ topics: [topic] }));
  return metadata.topics[0]!.partitions;
}

/** Every node serving, three brokers registered, and every partition of the events topic led and fully in sync. */
async function waitForHealthyCluster(timeoutMs: number): Promise<void> {
  await cluster!.waitUntilServing(timeoutMs);
  await waitFor(async () => (await partitionsOf(names.events)).every((partition) => partition.leader >= 0 && partition.isr.length === 3), {
    timeoutMs,
    intervalMs: 500,
    description: `every partition of ${names.events} in sync on 3 replicas`,
  });
}

const sequence = (batch: number): number[] => Array.from({ length: BATCH_SIZE }, (_, index) => batch * BATCH_SIZE + index);
const recordsOf = (numbers: readonly number[], partition: number): Array<{ key: string; value: string; partition: number }> =>
  numbers.map((number) => ({ key: String(number), value: String(number), partition }));

/**
 * Sends one partition's batch until it is acknowledged; returns the failed attempts. A failed batch is re-sent
 * as it was, before anything else goes to that partition: the producer reuses its sequence number, so the
 * broker drops the copy of an attempt that landed after all.
 */
async function sendUntilAcknowledged(producer: Producer, partition: number, numbers: readonly number[]): Promise<number> {
  let failures = 0;
  await waitFor(
    async () => {
      try {
        await producer.send({ topic: names.events, acks: -1, messages: recordsOf(numbers, partition) });
        return true;
      } catch (error) {
        failures += 1;
        throw error;
      }
    },
    { timeoutMs: 120_000, intervalMs: 100, description: `records ${numbers[0]}… acknowledged on partition ${partition}` },
  );
  return failures;
}

/** Every record of the events topic, read from the beginning by a group of its own, up to the high watermarks. */
async function readBack(tag: string): Promise<number[]> {
  const ends = await admin.fetchTopicOffsets(names.events);
  const consumer = kafka.consumer({ groupId: `test-durability-cluster-${suffix}-${tag}` });
  const numbers: number[] = [];
  const next = new Map<number, number>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: names.events, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        numbers.push(Number(message.value?.toString()));
        next.set(partition, Number(message.offset) + 1);
        return Promise.resolve();
      },
    });
    await waitFor(() => ends.every((end) => (next.get(end.partition) ?? Number(end.low)) >= Number(end.high)), {
      timeoutMs: 120_000,
      intervalMs: 200,
      description: `the ${tag} read-back to reach the high watermarks ${ends.map((end) => end.high).join(', ')}`,
    });
  } finally {
    await consumer.disconnect();
  }
  return numbers;
}

/** The acknowledged numbers that are missing or there more than once, and numbers nobody acknowledged. */
function compare(read: readonly number[], acknowledged: readonly number[]): { missing: number[]; duplicated: number[]; unexpected: number[] } {
  const counts = new Map<number, number>();
  for (const number of read) counts.set(number, (counts.get(number) ?? 0) + 1);
  const expected = new Set(acknowledged);
  return {
    missing: acknowledged.filter((number) => !counts.has(number)),
    duplicated: [...counts].filter(([, count]) => count > 1).map(([number]) => number),
    unexpected: [...counts.keys()].filter((number) => !expected.has(number)),
  };
}

/** The broker's error code (e.g. NOT_ENOUGH_REPLICAS) of a kafkajs error, which may wrap it in `cause`. */
function errorType(error: unknown): string {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 5; depth += 1) {
    const { type, cause } = current as { type?: unknown; cause?: unknown };
    if (typeof type === 'string') return type;
    current = cause;
  }
  return String(error);
}

describe('the production durability profile on a real three-broker cluster', () => {
  const acknowledged: number[] = [];

  it('topics apply --profile production creates the topics with 3 replicas and an explicit min.insync.replicas 2', async () => {
    const run = await topicsCli('apply', '--profile', 'production');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('profile production: 3 replicas, min.insync.replicas 2');
    expect(run.stdout).toContain(`created ${names.events} (3 partitions)`);
    for (const name of Object.values(names)) {
      expect((await partitionsOf(name)).map((partition) => new Set(partition.replicas).size)).toEqual(name === names.events ? [3, 3, 3] : [3]);
      const { resources } = await whileTopicSettles(() => admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name }] }));
      const minInsync = resources[0]!.configEntries.find((entry) => entry.configName === 'min.insync.replicas');
      expect(minInsync, name).toMatchObject({ configValue: '2', isDefault: false });
    }
    await waitForHealthyCluster(60_000);
  });

  it('a broker killed with SIGKILL while an idempotent acks=all producer sends: every acknowledged record exactly once', async () => {
    const victim = (await partitionsOf(names.events)).find((partition) => partition.partitionId === 0)!.leader;
    // As the repository's producers: idempotent, one request in flight, acks=all. Retries are bounded here so a
    // send that cannot get through fails and is re-sent by the test (the default would retry it for ever).
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 10 }, createPartitioner: Partitioners.DefaultPartitioner });
    let sentBeforeKill = -1;
    let failedSends = 0;
    await producer.connect();
    try {
      // One sender per partition, concurrently, so the other partitions' sends are in flight when the broker dies.
      await Promise.all(
        Array.from({ length: PARTITIONS }, async (_, partition) => {
          for (let batch = partition; batch < BATCHES; batch += PARTITIONS) {
            if (partition === 0 && batch === KILL_AT_BATCH) {
              sentBeforeKill = acknowledged.length;
              await cluster!.killNode(victim);
            }
            failedSends += await sendUntilAcknowledged(producer, partition, sequence(batch));
            acknowledged.push(...sequence(batch));
          }
        }),
      );
    } finally {
      await producer.disconnect();
    }
    console.info(`durability-cluster: node ${victim} killed after ${sentBeforeKill} of ${RECORDS} records were acknowledged; ${failedSends} failed sends re-sent`);
    expect(sentBeforeKill).toBeGreaterThan(0);
    expect(sentBeforeKill).toBeLessThan(RECORDS);
    expect(acknowledged).toHaveLength(RECORDS);

    await cluster!.startNode(victim);
    await waitForHealthyCluster(120_000);
    expect(compare(await readBack('after-kill'), acknowledged)).toEqual({ missing: [], duplicated: [], unexpected: [] });
  });

  it('with two of the three brokers down an acks=all write is not acknowledged; when they return the acknowledged records are intact', async () => {
    const survivor = (await partitionsOf(names.events)).find((partition) => partition.partitionId === 0)!.leader;
    const down = CLUSTER_NODES.filter((node) => node !== survivor);
    const probe = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 }, createPartitioner: Partitioners.DefaultPartitioner });
    let refusal: unknown;
    await probe.connect();
    try {
      // A first write while all three are up connects the producer to partition 0's leader, the one left running,
      // so the refused write below reaches a live leader that cannot get its replicas.
      await probe.send({ topic: names.events, acks: -1, messages: recordsOf([RECORDS], 0) });
      acknowledged.push(RECORDS);
      for (const node of down) await cluster!.killNode(node);
      refusal = await probe.send({ topic: names.events, acks: -1, timeout: 3_000, messages: recordsOf([RECORDS + 1], 0) }).then(
        () => undefined,
        (error: unknown) => error,
      );
    } finally {
      await probe.disconnect();
    }
    console.info(`durability-cluster: with nodes ${down.join(' and ')} down, node ${survivor} refused an acks=all write: ${errorType(refusal)}`);
    expect(refusal, 'an acks=all write with two of three brokers down was acknowledged').toBeInstanceOf(Error);
    expect(['NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'REQUEST_TIMED_OUT']).toContain(errorType(refusal));

    for (const node of down) await cluster!.startNode(node);
    await waitForHealthyCluster(120_000);
    const { missing, duplicated, unexpected } = compare(await readBack('after-outage'), acknowledged);
    console.info(`durability-cluster: after the outage the unacknowledged write is ${unexpected.includes(RECORDS + 1) ? 'there (committed once the replicas returned)' : 'absent'}`);
    expect({ missing, duplicated }).toEqual({ missing: [], duplicated: [] });
    // A write that timed out was appended by the leader and may be committed once the replicas return: Kafka
    // keeps every acknowledged record, it does not promise that an unacknowledged one is gone.
    expect(unexpected.filter((number) => number !== RECORDS + 1)).toEqual([]);
  });
});
