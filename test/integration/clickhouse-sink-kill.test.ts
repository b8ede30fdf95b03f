/**
 * Integration (the local stack's Kafka and ClickHouse; issue 15, item 4): streams/clickhouse-sink killed
 * with SIGKILL in the middle of an INSERT that has landed in part.
 *
 * The sink runs as its own process behind a proxy. Its first INSERT (two records) passes and is committed.
 * The next INSERT holds rows of two months, one part each in ClickHouse: the proxy lets only the part of
 * the month holding the highest offset land and never answers, and the test kills the sink while it waits. A new sink process on the same group, straight to ClickHouse, must then write exactly
 * the missing rows: every offset once. With the highest stored offset alone deciding, the even offsets
 * below it were skipped for good.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventCodec } from '@streamrec/schemas/avro';
import type { Interaction } from '@streamrec/schemas';
import { startClickHouseFaultProxy, type ClickHouseFaultProxy } from '../helpers/clickhouse-fault-proxy.js';
import { createClickHouse } from '../helpers/clickhouse.js';
import { createKafka, stackEnv, uniqueSuffix } from '../helpers/stack.js';
import { StreamChild } from '../helpers/stream-child.js';
import { waitFor } from '../helpers/wait-for.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const suffix = uniqueSuffix();
const topics = {
  interactions: `test.chkill.interactions.${suffix}`,
  exposures: `test.chkill.exposures.${suffix}`,
  items: `test.chkill.items.${suffix}`,
  users: `test.chkill.users.${suffix}`,
  orders: `test.chkill.orders.${suffix}`,
  orderItems: `test.chkill.order-items.${suffix}`,
} as const;
const groupVersion = `test-chkill-${suffix}`;
const groupId = `clickhouse-sink-${groupVersion}`;
const user = `chkill-${suffix}`;
const host = stackEnv['STREAMREC_HOST'] ?? '127.0.0.1';
const clickHouseUrl = `http://${host}:${Number(stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123')}`;
const codec = createEventCodec('events.interactions.v1');
const kafka = createKafka('test-clickhouse-sink-kill');
const logDir = mkdtempSync(join(tmpdir(), 'clickhouse-sink-kill-'));
/** Records of the INSERT the sink dies in: 40, alternating between two months, so the last (odd) offset is in the later one. */
const TORN = 40;
const FIRST = 2;
let admin: Admin;
let producer: Producer;
let clickhouse: ClickHouseClient;
let proxy: ClickHouseFaultProxy | undefined;
const children: StreamChild<'clickhouse-sink'>[] = [];

/** Day 1 of last month and day 1 of this month (UTC): two monthly partitions of streamrec.interactions. */
function monthStarts(): [number, number] {
  const now = new Date();
  return [Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1, 12), Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 12)];
}

function interaction(n: number, eventTime: number): Interaction {
  return { event_id: `it-chkill:${suffix}:${n}`, user_id: user, visitor_id: null, item_id: 4_200_000 + n, action: 'view', event_time: eventTime, source: 'beacon', session_id: null, price: null, quantity: null, request_id: null, ingest_time: eventTime + 1_000 };
}

function sinkChild(url: string, name: string): StreamChild<'clickhouse-sink'> {
  const child = new StreamChild('clickhouse-sink', {
    STREAMREC_CLICKHOUSE_SINK_GROUP_VERSION: groupVersion,
    STREAMREC_CLICKHOUSE_SINK_START_FROM: 'earliest',
    STREAMREC_CLICKHOUSE_SINK_METRICS_PORT: '0',
    STREAMREC_CLICKHOUSE_SINK_TOPICS: JSON.stringify({ ...topics, pairs: null }),
    STREAMREC_CLICKHOUSE_SINK_FLUSH_MAX_DELAY_MS: '100',
    STREAMREC_CLICKHOUSE_URL: url,
    STREAMREC_LOG_LEVEL: 'warn',
  }, join(logDir, `${name}.log`));
  children.push(child);
  return child;
}

async function storedOffsets(): Promise<string[]> {
  const result = await clickhouse.query({ query: `SELECT toString(kafka_offset) AS o FROM streamrec.interactions WHERE kafka_topic = '${topics.interactions}' ORDER BY kafka_offset`, format: 'JSONEachRow' });
  return (await result.json<{ o: string }>()).map(({ o }) => o);
}

async function committed(): Promise<string | undefined> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topics.interactions] });
  const offset = entry?.partitions[0]?.offset;
  return offset === undefined || offset === '-1' ? undefined : offset;
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, { topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 1 })) });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  clickhouse = createClickHouse();
});

afterAll(async () => {
  for (const child of children) await child.kill9().catch(() => undefined);
  await proxy?.close();
  await producer?.disconnect();
  await clickhouse?.command({ query: `ALTER TABLE streamrec.interactions DELETE WHERE kafka_topic = '${topics.interactions}'` }).catch(() => undefined);
  await clickhouse?.close();
  await admin?.deleteGroups([groupId]).catch(() => undefined);
  await admin?.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin?.disconnect();
});

describe('the clickhouse sink killed in the middle of an INSERT', () => {
  it('a new process writes exactly the rows the torn INSERT did not: every offset once', async () => {
    const [earlier, later] = monthStarts();
    /** The torn INSERT's offsets, and those of them whose month's part landed. */
    const torn = { held: [] as number[], landed: [] as number[] };
    proxy = await startClickHouseFaultProxy(clickHouseUrl, host, ({ url, body }) => {
      if (torn.held.length > 0 || !/INSERT/i.test(url) || !body.includes(topics.interactions)) return { answer: 'pass' };
      const rows = body.split('\n').filter((line) => line !== '').map((line) => ({ line, offset: Number((JSON.parse(line) as { kafka_offset: number }).kafka_offset) }));
      if (rows.every(({ offset }) => offset < FIRST)) return { answer: 'pass' };
      // The part of the month holding the highest offset lands (odd offsets are one month, even the other);
      // the other month's part never does.
      const highest = Math.max(...rows.map(({ offset }) => offset));
      const laterPart = rows.filter(({ offset }) => offset % 2 === highest % 2);
      torn.held = rows.map(({ offset }) => offset);
      torn.landed = laterPart.map(({ offset }) => offset);
      return { answer: 'hang', forward: `${laterPart.map(({ line }) => line).join('\n')}\n` };
    });

    const first = sinkChild(proxy.url, 'first');
    first.start();
    await producer.send({ topic: topics.interactions, acks: -1, messages: Array.from({ length: FIRST }, (_, n) => ({ key: user, value: codec.encode(interaction(n, later)) })) });
    await waitFor(async () => (await committed()) === String(FIRST), { timeoutMs: 60_000, intervalMs: 200, description: 'the first INSERT to land and be committed' });

    await producer.send({
      topic: topics.interactions,
      acks: -1,
      messages: Array.from({ length: TORN }, (_, index) => {
        const n = FIRST + index;
        return { key: user, value: codec.encode(interaction(n, n % 2 === 1 ? later + n : earlier + n)) };
      }),
    });
    await waitFor(async () => torn.held.length > 0 && (await storedOffsets()).length === FIRST + torn.landed.length, {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: 'one month of the torn INSERT to land while the sink waits',
    });
    await first.kill9();
    expect(first.crashed).toBeUndefined();
    expect(await committed()).toBe(String(FIRST));
    // Holes below the highest stored offset: what the maximum alone would skip.
    expect(torn.held.length).toBeGreaterThanOrEqual(4);
    expect(await storedOffsets()).toEqual([...Array.from({ length: FIRST }, (_, offset) => String(offset)), ...torn.landed.map(String)]);
    expect(Math.max(...torn.landed)).toBe(Math.max(...torn.held));

    const second = sinkChild(clickHouseUrl, 'second');
    second.start();
    await waitFor(async () => (await committed()) === String(FIRST + TORN), { timeoutMs: 90_000, intervalMs: 250, description: 'the new sink to commit the end of the topic' });
    await second.stop();
    expect(second.crashed).toBeUndefined();
    expect(await storedOffsets()).toEqual(Array.from({ length: FIRST + TORN }, (_, offset) => String(offset)));
  }, 240_000);
});
