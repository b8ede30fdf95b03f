/**
 * Integration (the real local stack): the learning loop end to end. Storefront traffic (the demo
 * generator's simulator) asks a real API that serves the bootstrap ranker; its users react to what they
 * were shown; the exposures and the beacons reach ClickHouse through the real sink; the training job
 * trains on them, passes parity, beats the bootstrap ranker on the same holdout and publishes; the API
 * swaps to the new model and its exposures carry the version. A deliberately worse challenger is refused
 * and recorded; a rollback returns the API to the bootstrap ranker. Isolated by test-owned topics, a
 * test-owned user prefix and a time window.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { repoRoot } from '@streamrec/foundation/process';
import { createEventCodec } from '@streamrec/schemas/avro';
import { parseClickHouseSinkConfig, startClickHouseSink, type RunningClickHouseSink } from '@streamrec/clickhouse-sink/app';
import { interaction, startApiWorld, worldKeys, type ApiWorld } from '../helpers/api-world.js';
import { createClickHouse } from '../helpers/clickhouse.js';
import { runDemoGenerator, type TrafficSummary } from '../helpers/demo-generator.js';
import { demoCatalogue, ensureDemoShop } from '../helpers/demo-shop.js';
import { processTestConfig } from '../helpers/process-test.js';
import { createKafka, kafkaAdminVariables, stackEnv } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const prefix = `rl-${suffix}-`;
const kafka = createKafka(`test-ranker-loop-${suffix}`);
const sinkTopics = { users: `test.rl.${suffix}.users`, orders: `test.rl.${suffix}.orders`, orderItems: `test.rl.${suffix}.order-items` };
const historyTopic = `test.rl.${suffix}.models-history`;
const itemCodec = createEventCodec('events.items.v1');

let world: ApiWorld;
let sink: RunningClickHouseSink;
let clickhouse: ClickHouseClient;
const startedAt = Date.now();

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A project CLI as an operator runs it. */
async function cli(script: string, args: readonly string[]): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, script), ...args], { cwd: repoRoot, env: { ...process.env, ...kafkaAdminVariables, STREAMREC_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.once('exit', (exit) => resolve(exit ?? -1)));
  return { code, stdout, stderr };
}

const models = ['--topic', '', '--history-topic', historyTopic];
const modelArgs = (): string[] => models.map((value) => (value === '' ? world.topics.models : value));

interface RunSummary {
  readonly status: string;
  readonly reason: string;
  readonly run_id: string;
  readonly model_version: string | null;
  readonly challenger: Record<string, number> | null;
  readonly champion: { readonly version: string | null; readonly metrics: Record<string, number> | null } | null;
}

async function retrain(extra: readonly string[] = []): Promise<RunSummary> {
  const result = await cli('jobs/retrain/src/cli.ts', ['run', '--name', 'ranker', '--user-prefix', prefix, '--from', new Date(startedAt - 60_000).toISOString(), '--label-window', '1m', ...modelArgs(), ...extra]);
  expect(result.stdout, result.stderr.slice(-2_000)).not.toBe('');
  return JSON.parse(result.stdout) as RunSummary;
}

/** Until an answer is ranked by `version` (the API follows the models topic). */
async function servedVersion(version: string): Promise<void> {
  await waitFor(async () => ((await world.get<{ model: { version: string } | null }>(`/v1/recommendations?user_id=${prefix}probe&limit=10`)).body.model?.version === version ? true : undefined), {
    timeoutMs: 60_000,
    description: `the API serving ${version}`,
  });
}

beforeAll(async () => {
  await ensureDemoShop();
  world = await startApiWorld();
  const { items } = await demoCatalogue();
  await world.producer.send({ topic: world.topics.items, acks: -1, messages: items.map((item) => ({ key: String(item.id), value: itemCodec.encode(item) })) });
  // A crowd's views give popular lists and co-occurrence to recall from (the demo users are new in this world).
  const listed = items.filter((item) => item.available);
  const now = Date.now();
  await world.sendInteractions(Array.from({ length: 900 }, (_, i) => interaction(`${prefix}crowd-${i % 150}`, listed[(i * 7_919) % Math.min(400, listed.length)]!.id, 'view', now - 900_000 + i * 100, `crowd:${suffix}:${i}`)));
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, {
    topics: [
      ...Object.values(sinkTopics).map((topic) => ({ topic, numPartitions: 1 })),
      { topic: historyTopic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'max.message.bytes', value: '67108864' }] },
    ],
  });
  await admin.disconnect();
  clickhouse = createClickHouse();
  sink = await startClickHouseSink(
    parseClickHouseSinkConfig({
      ...processTestConfig('clickhouse-sink', { suffix, version: world.version, groupVersion: `test-rl-${suffix}` }),
      startFrom: 'earliest',
      topics: { ...sinkTopics, interactions: world.topics.interactions, exposures: world.topics.exposures, items: world.topics.items },
      clickhouse: { url: `http://${stackEnv['STREAMREC_HOST'] ?? '127.0.0.1'}:${stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`, username: stackEnv['STREAMREC_CLICKHOUSE_USER'], password: stackEnv['STREAMREC_CLICKHOUSE_PASSWORD'] },
      flush: { maxRows: 500, maxDelayMs: 200 },
    }),
    pino({ level: 'silent' }),
  );
  const bootstrap = await cli('jobs/model/src/cli.ts', ['bootstrap', '--name', 'ranker', ...modelArgs()]);
  expect(bootstrap.code, bootstrap.stderr).toBe(0);
});

afterAll(async () => {
  await sink?.stop();
  for (const table of ['exposures', 'interactions']) await clickhouse?.command({ query: `ALTER TABLE streamrec.${table} DELETE WHERE user_id LIKE '${prefix}%'` }).catch(() => undefined);
  await clickhouse?.close();
  await world?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [...Object.values(sinkTopics), historyTopic] }).catch(() => undefined);
  await admin.disconnect();
});

const count = async (table: string, where = ''): Promise<number> => {
  const result = await clickhouse.query({ query: `SELECT count() AS n FROM streamrec.${table} WHERE user_id LIKE '${prefix}%' ${where}`, format: 'JSONEachRow' });
  return Number((await result.json<{ n: string }>())[0]?.n ?? 0);
};

describe('the learning loop on the real stack', () => {
  it('trains on logged exposures and the labels that followed, beats the bootstrap ranker, publishes, and the API serves it; a worse challenger is refused; rollback returns', { timeout: 600_000 }, async () => {
    await servedVersion((await waitForBootstrap()) ?? '');
    const traffic = await runDemoGenerator([
      'traffic', '--api', world.url, '--api-key', worldKeys.read, '--events-key', worldKeys.events, '--user-prefix', prefix,
      '--rate', '40', '--requests', '1800', '--scenes', 'home', '--limit', '10', '--seed', '11', '--no-orders',
    ]);
    expect(traffic.code).toBe(0);
    // A number of requests, not a duration: a loaded machine answers fewer per second, not fewer in all. It
    // may time the simulator out on a few (the API still answers and logs them: hence ≥ below).
    const summary = traffic.summary as unknown as TrafficSummary | undefined;
    const answered = summary?.requests.answered ?? 0;
    const beacons = summary?.events.sent ?? 0;
    expect(answered).toBeGreaterThan(0.8 * 1_800);
    expect(beacons).toBeGreaterThan(200);
    // Every answer and beacon of the run in ClickHouse, and the label window of the last answer closed.
    await waitFor(async () => ((await count('exposures')) >= answered && (await count('interactions', "AND source = 'beacon'")) >= beacons ? true : undefined), {
      timeoutMs: 120_000,
      description: `the run in ClickHouse (${answered} answers, ${beacons} beacons)`,
    });
    await new Promise((resolve) => setTimeout(resolve, 65_000));

    const learned = await retrain();
    expect(learned.status, learned.reason).toBe('published');
    expect(learned.champion?.version).toMatch(/^bootstrap-/);
    expect(learned.challenger?.['ndcg_at_10']).toBeGreaterThan(learned.champion?.metrics?.['ndcg_at_10'] ?? 1);
    const version = learned.model_version ?? '';
    await servedVersion(version);
    // Its exposures carry the new version.
    await waitFor(async () => ((await count('exposures', `AND model_version = '${version}'`)) > 0 ? true : undefined), { timeoutMs: 30_000, description: 'an exposure of the new model in ClickHouse' });

    // A deliberately worse challenger (one tiny tree) is refused by the better champion, and recorded.
    const worse = await retrain(['--objective', 'binary', '--params', '{"num_iterations":1,"num_leaves":2}']);
    expect(worse.status, worse.reason).toBe('rejected');
    const recorded = await clickhouse.query({ query: `SELECT status FROM streamrec.model_runs FINAL WHERE run_id = '${worse.run_id}'`, format: 'JSONEachRow' });
    expect((await recorded.json<{ status: string }>()).map(({ status }) => status)).toEqual(['rejected']);
    await servedVersion(version);

    // Rollback: the version before the current one serves again.
    const rollback = await cli('jobs/model/src/cli.ts', ['rollback', '--name', 'ranker', ...modelArgs()]);
    expect(rollback.code, rollback.stderr).toBe(0);
    await servedVersion((await waitForBootstrap()) ?? '');
  });
});

/** The bootstrap version published in beforeAll, from the history topic listing. */
async function waitForBootstrap(): Promise<string | undefined> {
  const listing = await cli('jobs/model/src/cli.ts', ['history', '--name', 'ranker', ...modelArgs()]);
  return /bootstrap-[0-9TZ]+/.exec(listing.stdout)?.[0];
}
