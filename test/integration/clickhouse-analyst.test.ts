/**
 * Integration (needs the local stack's ClickHouse, started by the stack scripts with the analyst user and
 * STREAMREC_CLICKHOUSE_ANALYST_PASSWORD in .stack/secrets.env): the analysts' user reads the streamrec
 * database and nothing else, cannot write, create or drop, cannot raise its limits, hits them, and every
 * query of docs/analytics.md runs as that user. Then (Kafka and Redis too) on a known world: a seeded
 * marketplace (test/helpers/analytics-world.ts) produced into this run's own topics, stored by
 * streams/clickhouse-sink and paired by streams/cooccurrence (its pair increments → the sink →
 * cooccurrence), every documented query, restricted to this world's rows, answers what a recount from the
 * generated source data answers (test/helpers/analytics-recount.ts), non-empty: an empty or wrong table
 * fails it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { parseStateVersion } from '@streamrec/foundation';
import { processorGroupIds } from '@streamrec/streams-common';
import { cooccurrenceManifest, pairsProgress } from '@streamrec/cooccurrence';
import { parseCooccurrenceConfig, startCooccurrence } from '@streamrec/cooccurrence/app';
import { parseClickHouseSinkConfig, startClickHouseSink } from '@streamrec/clickhouse-sink/app';
import { buildAnalyticsWorld, produceWorld } from '../helpers/analytics-world.js';
import { queryChecks, type RecountContext } from '../helpers/analytics-recount.js';
import { clickHouseIncrements, deletePairRows, pairDifferences, readPairsTopic } from '../helpers/cooccurrence-recount.js';
import { documentedQueries, rowDifferences, scopedQuery, type QueryRow } from '../helpers/documented-queries.js';
import { createClickHouse } from '../helpers/clickhouse.js';
import { cleanUpProcessTest, processTestConfig } from '../helpers/process-test.js';
import { createRedis } from '../helpers/redis.js';
import { createKafka, stackEnv, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

function analystClient(): ClickHouseClient {
  const password = stackEnv['STREAMREC_CLICKHOUSE_ANALYST_PASSWORD'];
  if (password === undefined || password === '') throw new Error('STREAMREC_CLICKHOUSE_ANALYST_PASSWORD is not set: is the local stack set up (npm run setup)?');
  return createClient({
    url: `http://${stackEnv['STREAMREC_HOST'] ?? '127.0.0.1'}:${stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`,
    username: stackEnv['STREAMREC_CLICKHOUSE_ANALYST_USER'] ?? 'analyst',
    password,
    database: 'streamrec',
    // readonly = 1 refuses any setting a client sends, HTTP compression included.
    compression: { request: false, response: false },
    log: { level: ClickHouseLogLevel.OFF },
  });
}

const analyst = analystClient();

afterAll(async () => {
  await analyst.close();
});

/** The ClickHouse error code of a failed statement (undefined when it succeeded). */
async function errorCode(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    // @clickhouse/client parses the code of current servers' messages; 18.16 writes "Code: 164, e.displayText() = ...".
    const { code, message } = error as { code?: string; message?: string };
    return code ?? /Code: (\d+)/.exec(message ?? '')?.[1] ?? `no code: ${String(error)}`;
  }
}

const READONLY = '164';
const ACCESS_DENIED = '291';
const TOO_MANY_ROWS = '396';


describe('the analyst user', () => {
  it('reads the streamrec tables', async () => {
    const result = await analyst.query({ query: "SELECT count() AS tables FROM system.tables WHERE database = 'streamrec'", format: 'JSONEachRow' });
    const [row] = await result.json<{ tables: string }>();
    expect(Number(row?.tables)).toBeGreaterThanOrEqual(13);
    await expect(analyst.query({ query: 'SELECT count() FROM streamrec.interactions FINAL', format: 'JSONEachRow' })).resolves.toBeDefined();
  });

  it('cannot insert, create, drop or alter', async () => {
    expect(await errorCode(() => analyst.insert({ table: 'streamrec.users', values: [{ id: 1 }], format: 'JSONEachRow' }))).toBe(READONLY);
    expect(await errorCode(() => analyst.command({ query: 'CREATE TABLE streamrec.analyst_scratch (x UInt8) ENGINE = Memory' }))).toBe(READONLY);
    expect(await errorCode(() => analyst.command({ query: 'DROP TABLE streamrec.items' }))).toBe(READONLY);
    expect(await errorCode(() => analyst.command({ query: 'ALTER TABLE streamrec.items DELETE WHERE id = 0' }))).toBe(READONLY);
  });

  it('is allowed on the streamrec database only', async () => {
    expect(await errorCode(() => analyst.query({ query: 'SELECT 1 FROM default.any_table', format: 'JSONEachRow' }))).toBe(ACCESS_DENIED);
  });

  it('runs with its profile limits, cannot raise them, and hits them', async () => {
    const result = await analyst.query({ query: 'SELECT name, value FROM system.settings WHERE changed', format: 'JSONEachRow' });
    const settings = Object.fromEntries((await result.json<{ name: string; value: string }>()).map(({ name, value }) => [name, value]));
    expect(settings).toMatchObject({
      readonly: '1',
      max_execution_time: '60',
      max_memory_usage: '2000000000',
      max_result_rows: '100000',
      result_overflow_mode: 'throw',
      max_rows_to_read: '500000000',
      read_overflow_mode: 'throw',
    });
    expect(await errorCode(() => analyst.query({ query: 'SELECT 1', format: 'JSONEachRow', clickhouse_settings: { max_result_rows: '0' } }))).toBe(READONLY);
    expect(await errorCode(() => analyst.command({ query: 'SET max_memory_usage = 0' }))).toBe(READONLY);
    // One row over max_result_rows (cheap: system.numbers stops at the LIMIT).
    expect(await errorCode(async () => (await analyst.query({ query: 'SELECT number FROM system.numbers LIMIT 100001', format: 'JSONEachRow' })).json())).toBe(TOO_MANY_ROWS);
  });

  it('runs every query of docs/analytics.md', async () => {
    const queries = documentedQueries();
    expect(queries.length).toBeGreaterThanOrEqual(10);
    const failures: string[] = [];
    for (const { title, sql } of queries) {
      try {
        await (await analyst.query({ query: sql, format: 'JSONEachRow' })).json();
      } catch (error) {
        failures.push(`${title}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('the documented queries on a known world', () => {
  const suffix = uniqueSuffix();
  const nowMs = Date.now();
  // A new seed per run: the item ids come from it, and interactions_daily / cooccurrence are scoped by item id.
  const seed = Math.floor(Math.random() * 2 ** 31);
  const world = buildAnalyticsWorld({ run: `an${suffix}`, seed, nowMs });
  const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
  const groupVersion = `test-analytics-${suffix}`;
  const kafka = createKafka(`test-analytics-${suffix}`);
  const clickhouse = createClickHouse();
  const redis = createRedis();
  const modelRunId = `run-${world.run}`;
  const processes: { stop(): Promise<void> }[] = [];
  const groups = [...processorGroupIds(cooccurrenceManifest, groupVersion), `clickhouse-sink-${groupVersion}`, pairsProgress(world.topics.pairs, world.topics.interactions).groupId];

  beforeAll(async () => {
    await produceWorld(kafka, world);
    // The pairs topic is the world's own, so the processor and the sink are told its name (the defaults
    // follow only the live interactions topic).
    const cooccurrence = await startCooccurrence(
      parseCooccurrenceConfig({ ...processTestConfig('cooccurrence', { suffix, version, groupVersion }), startFrom: 'earliest', topics: { interactions: world.topics.interactions, pairs: world.topics.pairs } }),
      pino({ level: 'silent' }),
    );
    processes.push(cooccurrence);
    const sink = await startClickHouseSink(
      parseClickHouseSinkConfig({
        ...processTestConfig('clickhouse-sink', { suffix, version, groupVersion }),
        startFrom: 'earliest',
        topics: world.topics,
        clickhouse: { url: `http://${stackEnv['STREAMREC_HOST'] ?? '127.0.0.1'}:${stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`, username: stackEnv['STREAMREC_CLICKHOUSE_USER'], password: stackEnv['STREAMREC_CLICKHOUSE_PASSWORD'] },
        flush: { maxRows: 5_000, maxDelayMs: 200 },
      }),
      pino({ level: 'silent' }),
    );
    processes.push(sink);
    await Promise.all([cooccurrence.ready(), sink.ready()]);
    // The retraining job's row (its own writer is tested in the retrain tests): one run of this world.
    await clickhouse.insert({ table: 'streamrec.model_runs', format: 'JSONEachRow', values: [modelRunRow(modelRunId, nowMs)] });
    await caughtUp();
  }, 240_000);

  afterAll(async () => {
    for (const running of processes) await running.stop();
    await cleanUpProcessTest(kafka, redis, { groups, topics: Object.values(world.topics), version });
    await deletePairRows(clickhouse, world.topics.pairs, { first: world.itemRange.first, last: world.itemRange.last });
    await clickhouse.command({ query: `ALTER TABLE streamrec.model_runs DELETE WHERE run_id = '${modelRunId}'` }).catch(() => undefined);
    await clickhouse.close();
    redis.disconnect();
  });

  /** Until the co-occurrence process emitted every interaction's pairs and the sink stored every topic. */
  async function caughtUp(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = async (topic: string): Promise<Map<number, bigint>> => new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, BigInt(high)]));
      const committed = async (groupId: string, topic: string): Promise<Map<number, bigint>> => {
        const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return new Map((result?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]));
      };
      const reached = async (groupId: string, topic: string): Promise<boolean> => {
        const [high, done] = [await ends(topic), await committed(groupId, topic)];
        return [...high].every(([partition, end]) => end === 0n || (done.get(partition) ?? -1n) >= end);
      };
      const progress = pairsProgress(world.topics.pairs, world.topics.interactions).groupId;
      await waitFor(() => reached(progress, world.topics.interactions), { timeoutMs: 120_000, intervalMs: 250, description: 'every interaction’s pairs committed' });
      const plain = (Object.keys(world.topics) as (keyof typeof world.topics)[]).filter((name) => name !== 'pairs');
      await waitFor(async () => (await Promise.all(plain.map((name) => reached(`clickhouse-sink-${groupVersion}`, world.topics[name])))).every(Boolean), {
        timeoutMs: 120_000,
        intervalMs: 250,
        description: 'the sink to store every source topic',
      });
      // The pairs topic's ends include transaction markers: wait until the sink holds what the topic holds.
      const topic = await readPairsTopic(kafka, world.topics.pairs);
      await waitFor(async () => pairDifferences(topic, await clickHouseIncrements(clickhouse, world.topics.pairs)).length === 0, { timeoutMs: 120_000, intervalMs: 250, description: 'the sink to store the pairs topic' });
    } finally {
      await admin.disconnect();
    }
  }

  /** Each table's rows of this world: its own topics, item ids, variants and run id. */
  function scopes(): Record<string, string> {
    const topic = (name: keyof typeof world.topics): string => `kafka_topic = '${world.topics[name]}'`;
    const items = `item_id BETWEEN ${world.itemRange.first} AND ${world.itemRange.last}`;
    return {
      interactions: topic('interactions'),
      exposures: topic('exposures'),
      items: topic('items'),
      users: topic('users'),
      orders: topic('orders'),
      order_items: topic('orderItems'),
      interactions_daily: items,
      exposures_daily: `variant IN (${world.variants.map((variant) => `'${variant}'`).join(', ')})`,
      cooccurrence: items,
      model_runs: `run_id = '${modelRunId}'`,
    };
  }

  it('answers every documented query for this world as a recount of its source data does', async () => {
    const columns = new Map<string, string[]>();
    for (const row of await (await clickhouse.query({ query: "SELECT table, name FROM system.columns WHERE database = 'streamrec'", format: 'JSONEachRow' })).json<{ table: string; name: string }>()) {
      columns.set(row.table, [...(columns.get(row.table) ?? []), row.name]);
    }
    const [clock] = await (await clickhouse.query({ query: 'SELECT toUInt64(now()) * 1000 AS nowMs, toUInt16(today()) AS today', format: 'JSONEachRow' })).json<{ nowMs: string; today: number }>();
    const context: RecountContext = { world, nowMs: Number(clock?.nowMs), today: Number(clock?.today), modelRun: expectedModelRun(modelRunId) };
    const queries = documentedQueries();
    // Every documented query has a recount, and every recount a documented query.
    expect(queries.map(({ title }) => queryChecks.find((check) => title.startsWith(check.title))?.title ?? `no recount for: ${title}`)).toEqual(queryChecks.map((check) => check.title));
    const failures: string[] = [];
    for (const { title, sql } of queries) {
      const check = queryChecks.find((candidate) => title.startsWith(candidate.title));
      if (check === undefined) continue;
      const expected = check.expected(context);
      const actual = await (await analyst.query({ query: scopedQuery(sql, scopes(), columns), format: 'JSONEachRow' })).json<QueryRow>();
      const order = (rows: readonly QueryRow[]): QueryRow[] => (check.unordered === true ? [...rows].sort((a, b) => (keyOf(a, check.key) < keyOf(b, check.key) ? -1 : 1)) : [...rows]);
      if (expected.length === 0) failures.push(`${check.title}: the recount is empty, the world must give every query rows`);
      failures.push(...rowDifferences(order(expected), order(actual), check.tolerances).map((difference) => `${check.title}: ${difference}`));
    }
    expect(failures, `world seed ${seed}`).toEqual([]);
  });
});

function keyOf(row: QueryRow, key: readonly string[]): string {
  return JSON.stringify(key.map((column) => row[column]));
}

/** A finished, published training run of the analytics world, as jobs/retrain writes it. */
function modelRunRow(runId: string, nowMs: number): Record<string, unknown> {
  const at = (ms: number): number => Math.floor(ms / 1000);
  return {
    run_id: runId,
    model_name: `ranker-${runId}`,
    model_version: `${runId}-v1`,
    revision: 2,
    status: 'published',
    started_at: at(nowMs - 600_000),
    finished_at: at(nowMs - 300_000),
    train_from: at(nowMs - 5 * 86_400_000),
    train_to: at(nowMs - 86_400_000),
    holdout_from: at(nowMs - 86_400_000),
    holdout_to: at(nowMs),
    feature_names: ['fused_score'],
    'metrics.name': ['auc', 'ndcg_at_10'],
    'metrics.value': [0.71, 0.4321],
    gate_passed: 1,
  };
}

function expectedModelRun(runId: string): QueryRow {
  return { model_name: `ranker-${runId}`, run_id: runId, status: 'published', model_version: `${runId}-v1`, gate_passed: 1, ndcg_at_10: 0.4321 };
}
