/**
 * Integration (needs the local stack's Kafka and ClickHouse, `dlq.clickhouse-sink` from `npm run topics --
 * apply`, and the DDL with the kafka_* columns): a proxy between the sink and ClickHouse answers INSERTs with
 * errors in ClickHouse's format. A data error for one marked row: the row's record lands on the DLQ with
 * ClickHouse's code and message, every other row in ClickHouse exactly once, and the sink keeps consuming.
 * A transient error a few times: nothing is dead-lettered and every row lands once. Each test owns its
 * topics and user id; assertions are scoped to them.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Producer } from 'kafkajs';
import type { ClickHouseClient } from '@clickhouse/client';
import { ErrorCode, parseStateVersion, type DeadLetter } from '@streamrec/foundation';
import { createEventCodec } from '@streamrec/schemas/avro';
import type { Interaction } from '@streamrec/schemas';
import { parseClickHouseSinkConfig, startClickHouseSink, type RunningClickHouseSink } from '@streamrec/clickhouse-sink/app';
import { createClickHouse } from '../helpers/clickhouse.js';
import { CdcTopicReader } from '../helpers/cdc-topic.js';
import { startClickHouseFaultProxy, type ClickHouseFaultProxy } from '../helpers/clickhouse-fault-proxy.js';
import { processTestConfig } from '../helpers/process-test.js';
import { createKafka, stackEnv, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const suffix = uniqueSuffix();
const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const kafka = createKafka('test-clickhouse-sink-insert-errors');
const codec = createEventCodec('events.interactions.v1');
const host = stackEnv['STREAMREC_HOST'] ?? '127.0.0.1';
const clickHouseUrl = `http://${host}:${Number(stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123')}`;
const eventTime = Date.now() - 3_600_000;
const createdTopics: string[] = [];
const groups: string[] = [];
let clickhouse: ClickHouseClient | undefined;
let producer: Producer | undefined;
let sink: RunningClickHouseSink | undefined;
let proxy: ClickHouseFaultProxy | undefined;

interface Run {
  readonly name: string;
  readonly topics: { interactions: string; exposures: string; items: string; users: string; orders: string; orderItems: string; pairs: null };
  readonly user: string;
  readonly group: string;
}

async function newRun(name: string): Promise<Run> {
  const topic = (kind: string): string => `test.chsink-errors.${name}.${kind}.${suffix}`;
  const topics = { interactions: topic('interactions'), exposures: topic('exposures'), items: topic('items'), users: topic('users'), orders: topic('orders'), orderItems: topic('order-items'), pairs: null };
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = [topics.interactions, topics.exposures, topics.items, topics.users, topics.orders, topics.orderItems];
    await createTopicsReady(admin, { topics: names.map((name) => ({ topic: name, numPartitions: 1 })) });
    createdTopics.push(...names);
  } finally {
    await admin.disconnect();
  }
  clickhouse ??= createClickHouse();
  if (producer === undefined) {
    producer = kafka.producer();
    await producer.connect();
  }
  return { name, topics, user: `it-chsink-errors-${name}-${suffix}`, group: `test-${suffix}-${name}` };
}

function interaction(run: Run, n: number, marker = ''): Interaction {
  return { event_id: `it-chsink-errors:${run.name}:${suffix}:${n}${marker}`, user_id: run.user, visitor_id: null, item_id: 42, action: 'view', event_time: eventTime + n * 1_000, source: 'beacon', session_id: null, price: null, quantity: null, request_id: null, ingest_time: eventTime + 60_000 };
}

async function send(run: Run, events: readonly Interaction[]): Promise<void> {
  await producer?.send({ topic: run.topics.interactions, acks: -1, messages: events.map((event) => ({ key: run.user, value: codec.encode(event) })) });
}

async function startSink(run: Run, url: string): Promise<RunningClickHouseSink> {
  groups.push(`clickhouse-sink-${run.group}`);
  const config = parseClickHouseSinkConfig({
    ...processTestConfig('clickhouse-sink', { suffix, version, groupVersion: run.group }),
    startFrom: 'earliest',
    topics: run.topics,
    clickhouse: { url, username: stackEnv['STREAMREC_CLICKHOUSE_USER'], password: stackEnv['STREAMREC_CLICKHOUSE_PASSWORD'] },
    flush: { maxRows: 1_000, maxDelayMs: 200 },
  });
  const started = await startClickHouseSink(config, pino({ level: 'silent' }));
  await started.ready();
  return started;
}

/** The Kafka offsets of the run's rows in ClickHouse, without DISTINCT or FINAL: a duplicate would show. */
async function storedOffsets(run: Run): Promise<number[]> {
  const result = await clickhouse!.query({ query: `SELECT toUInt64(kafka_offset) AS o FROM streamrec.interactions WHERE kafka_topic = '${run.topics.interactions}' ORDER BY o`, format: 'JSONEachRow' });
  return (await result.json<{ o: string }>()).map(({ o }) => Number(o));
}

async function committedTo(run: Run, end: number): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: `clickhouse-sink-${run.group}`, topics: [run.topics.interactions] });
    return committed?.partitions.some(({ partition, offset }) => partition === 0 && offset === String(end)) ?? false;
  } finally {
    await admin.disconnect();
  }
}

async function metric(name: string, labelled = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${sink?.metricsPort() ?? 0}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(labelled))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

afterEach(async () => {
  await sink?.stop();
  sink = undefined;
  await proxy?.close();
  proxy = undefined;
});

afterAll(async () => {
  await producer?.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups(groups).catch(() => undefined);
  if (createdTopics.length > 0) await admin.deleteTopics({ topics: createdTopics }).catch(() => undefined);
  await admin.disconnect();
  await clickhouse?.close();
});

describe('the clickhouse sink, when ClickHouse refuses an INSERT', () => {
  it('dead-letters exactly the row ClickHouse cannot parse, with its code and message, inserts every other row once and keeps consuming', async () => {
    const run = await newRun('data-error');
    const marker = `~refuse-${suffix}`;
    let refusals = 0;
    proxy = await startClickHouseFaultProxy(clickHouseUrl, host, ({ url, body }) => {
      if (!/INSERT/i.test(url) || !body.includes(marker)) return { answer: 'pass' };
      refusals += 1;
      // As 18.16 answers a value it cannot parse: HTTP 500, the code, and the rest of the row quoted.
      return { answer: 'fail', status: 500, body: `Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected " before: ${marker}","user_id":"${run.user}"}: (while read the value of key event_id): (at row 1)\n, e.what() = DB::Exception\n` };
    });
    const dlq = new CdcTopicReader(kafka, ['dlq.clickhouse-sink']);
    await dlq.start('now');
    try {
      await send(run, [0, 1, 2, 3, 4, 5].map((n) => interaction(run, n, n === 2 ? marker : '')));
      sink = await startSink(run, proxy.url);
      await waitFor(() => committedTo(run, 6), { timeoutMs: 60_000, intervalMs: 250, description: 'the batch with the refused row to be committed' });
      expect(await storedOffsets(run)).toEqual([0, 1, 3, 4, 5]);
      const letters = await dlq.waitUntil('the refused row on the DLQ', (records) => {
        const mine = records.map((record) => record.value as unknown as DeadLetter).filter((letter) => letter.source.topic === run.topics.interactions);
        return mine.length > 0 ? mine : undefined;
      });
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ processor: 'clickhouse-sink', code: ErrorCode.PayloadInvalid, source: { topic: run.topics.interactions, partition: 0, offset: '2' } });
      expect(letters[0]?.reason).toMatch(/^ClickHouse refused the row \(Code 27\): Code: 27, e\.displayText\(\) = DB::Exception: Cannot parse input.*while read the value of key event_id/);
      expect(letters[0]?.reason).not.toContain(marker); // the reason does not copy the row
      expect(refusals).toBeGreaterThanOrEqual(2); // the block, then the row alone
      expect(await metric('stream_dead_lettered_total')).toBe(1);
      expect(await metric('clickhouse_sink_rows_refused_total')).toBe(1);
      expect(await metric('clickhouse_sink_insert_failures_total', 'class="rows"')).toBe(refusals);
      expect(await metric('clickhouse_sink_rows_inserted_total')).toBe(5);

      // The sink keeps consuming.
      await send(run, [interaction(run, 6)]);
      await waitFor(() => committedTo(run, 7), { timeoutMs: 30_000, intervalMs: 250, description: 'the next record to be committed' });
      expect(await storedOffsets(run)).toEqual([0, 1, 3, 4, 5, 6]);
      expect(await metric('stream_dead_lettered_total')).toBe(1);
    } finally {
      await dlq.stop();
    }
  });

  it('retries a transient error until it passes: nothing dead-lettered, every row once', async () => {
    const run = await newRun('transient');
    let failures = 0;
    proxy = await startClickHouseFaultProxy(clickHouseUrl, host, ({ url, body }) => {
      if (!/INSERT/i.test(url) || !body.includes(run.topics.interactions) || failures >= 3) return { answer: 'pass' };
      failures += 1;
      return { answer: 'fail', status: 500, body: 'Code: 252, e.displayText() = DB::Exception: Too many parts (300). Merges are processing significantly slower than inserts., e.what() = DB::Exception\n' };
    });
    await send(run, [0, 1, 2, 3, 4, 5].map((n) => interaction(run, n)));
    sink = await startSink(run, proxy.url);
    await waitFor(() => committedTo(run, 6), { timeoutMs: 60_000, intervalMs: 250, description: 'the batch to be committed after the transient errors' });
    expect(failures).toBe(3);
    expect(await storedOffsets(run)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await metric('clickhouse_sink_insert_failures_total', 'class="transient"')).toBe(3);
    expect(await metric('clickhouse_sink_insert_failures_total', 'class="rows"')).toBe(0);
    expect(await metric('stream_dead_lettered_total')).toBe(0);
    expect(await metric('clickhouse_sink_rows_refused_total')).toBe(0);
    expect(await metric('clickhouse_sink_rows_inserted_total')).toBe(6);
  });
});
