// Integration: `npm run topics -- apply` under the durability profiles of schemas/topics.json, on the real
// (one-broker) Kafka of the local stack, with a test-owned topics file. The production profile (3 replicas,
// min ISR 2) is refused with a clear error on one broker and creates nothing; the local profile creates
// topics with their replicas and an explicit min.insync.replicas; a drifted min ISR is found and set back,
// keeping the topic's declared config.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs, { type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, repoRoot, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const { ConfigResourceTypes } = kafkajs; // CommonJS: not an ESM named export
const suffix = uniqueSuffix();
const names = { events: `test.durability.${suffix}.events`, state: `test.durability.${suffix}.state` } as const;
const kafka = createKafka(`test-durability-${suffix}`);
let admin: Admin;
let dir: string;
let topicsFile: string;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  dir = await mkdtemp(join(tmpdir(), 'streamrec-topics-'));
  topicsFile = join(dir, 'topics.json');
  const { durability } = JSON.parse(await readFile(join(repoRoot, 'schemas', 'topics.json'), 'utf8')) as { durability: unknown };
  const topics = [
    { name: names.events, partitions: 3, config: { 'cleanup.policy': 'delete', 'retention.ms': '86400000' } },
    { name: names.state, partitions: 2, config: { 'cleanup.policy': 'compact' } },
  ];
  await writeFile(topicsFile, JSON.stringify({ durability, topics }));
});

afterAll(async () => {
  const existing = await admin?.listTopics();
  const ours = Object.values(names).filter((name) => existing?.includes(name));
  if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  await admin?.disconnect();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function topicsCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/topics/src/cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, STREAMREC_TOPICS_FILE: topicsFile }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

async function described(name: string): Promise<{ replicas: number; config: Record<string, { value: string; isDefault: boolean }> }> {
  const metadata = await admin.fetchTopicMetadata({ topics: [name] });
  const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name }] });
  const config = Object.fromEntries(resources[0]!.configEntries.map((entry) => [entry.configName, { value: entry.configValue, isDefault: entry.isDefault }]));
  return { replicas: metadata.topics[0]!.partitions[0]!.replicas.length, config };
}

async function writeWithAcksAll(topic: string): Promise<string> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'v' }] });
    return 'ok';
  } catch (error) {
    return (error as { type?: string }).type ?? String(error);
  } finally {
    await producer.disconnect();
  }
}

describe('topics apply under the durability profiles (real broker)', () => {
  it('production (3 replicas, min ISR 2) on one broker: a clear error, exit 1, nothing created', async () => {
    const run = await topicsCli('apply', '--profile', 'production');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("profile 'production' needs 3 brokers (replication factor 3, min.insync.replicas 2); the cluster has 1");
    expect((await admin.listTopics()).filter((name) => name.includes(suffix))).toEqual([]);
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const run = await topicsCli('apply', '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`would have created ${names.events} (3 partitions)`);
    expect(run.stdout).toContain('(dry run: nothing changed)');
    expect((await admin.listTopics()).filter((name) => name.includes(suffix))).toEqual([]);
  });

  it('local: the topics get 1 replica and an explicit min.insync.replicas 1 beside their declared config', async () => {
    const run = await topicsCli('apply');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('profile local: 1 replicas, min.insync.replicas 1');
    const events = await described(names.events);
    expect(events.replicas).toBe(1);
    expect(events.config['min.insync.replicas']).toEqual({ value: '1', isDefault: false });
    expect(events.config['retention.ms']?.value).toBe('86400000');
    expect((await described(names.state)).config['cleanup.policy']?.value).toBe('compact');
    expect(await writeWithAcksAll(names.events)).toBe('ok');
  });

  it('a drifted min ISR is found and set back by the next apply, the declared config kept', async () => {
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: names.events, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }] });
    // (Kafka caps the effective min ISR at the replica count, so one broker keeps taking writes: the drift
    // shows only in the config. With 3 replicas, min ISR 3 would stop writes when one broker is down.)
    await waitFor(async () => ((await described(names.events)).config['min.insync.replicas']?.value === '2' ? true : undefined), { timeoutMs: 30_000, description: 'the drifted min.insync.replicas to be visible' });
    const run = await topicsCli('apply');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`set ${names.events} min.insync.replicas: 2 → 1`);
    expect(run.stdout).toContain('1 min.insync.replicas set');
    const events = await described(names.events);
    expect(events.config['min.insync.replicas']?.value).toBe('1');
    expect(events.config['retention.ms']?.value).toBe('86400000');
    expect(await writeWithAcksAll(names.events)).toBe('ok');
    const again = await topicsCli('apply');
    expect(again.stdout).toContain('0 created, 0 grown, 0 min.insync.replicas set');
  });
});
