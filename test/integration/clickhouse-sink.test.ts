/**
 * Integration (needs the local stack's Kafka and ClickHouse: `npm run setup`, `dlq.clickhouse-sink` from
 * `npm run topics -- apply`, and the DDL with the kafka_* columns): the sink, started in-process on
 * test-owned topics and writing into the real tables, lands interactions, exposures, items, users,
 * orders and order lines, and the committed pair increments of a transactional topic (an aborted
 * transaction's never) into cooccurrence_increments and, by its view, both directions of cooccurrence;
 * re-reading everything with a fresh consumer group inserts nothing twice (no FINAL needed,
 * interactions_daily and cooccurrence unchanged); poison goes to the DLQ with a reason while the rest flows.
 * The tables are shared, so every assertion is scoped to this run's ids (a high random range).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Producer } from 'kafkajs';
import type { ClickHouseClient } from '@clickhouse/client';
import { ErrorCode, parseStateVersion, type DeadLetter } from '@streamrec/foundation';
import { createEventCodec } from '@streamrec/schemas/avro';
import { decimalFromString, type Exposure, type Interaction, type InteractionAction } from '@streamrec/schemas';
import { startClickHouseSink, type RunningClickHouseSink } from '@streamrec/clickhouse-sink/app';
import { parseClickHouseSinkConfig, stopQuery, type ClickHouseSinkConfig } from '@streamrec/clickhouse-sink/app';
import { createClickHouse } from '../helpers/clickhouse.js';
import { CdcTopicReader } from '../helpers/cdc-topic.js';
import { startClickHouseFaultProxy } from '../helpers/clickhouse-fault-proxy.js';
import { processTestConfig } from '../helpers/process-test.js';
import { createKafka, stackEnv, uniqueSuffix } from '../helpers/stack.js';
import { SwitchableProxy } from '../helpers/switchable-proxy.js';
import { waitFor } from '../helpers/wait-for.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const suffix = uniqueSuffix();
const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const topics = {
  interactions: `test.chsink.interactions.${suffix}`,
  exposures: `test.chsink.exposures.${suffix}`,
  items: `test.chsink.items.${suffix}`,
  users: `test.chsink.users.${suffix}`,
  orders: `test.chsink.orders.${suffix}`,
  orderItems: `test.chsink.order-items.${suffix}`,
  pairs: `test.chsink.pairs.${suffix}`,
};
const base = 7_000_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
const [itemA, itemB, userNumber, orderId, orderLineId] = [base, base + 1, base + 2, base + 3, base + 4];
const user = String(userNumber);
const requestId = `it-chsink-req-${suffix}`;
const kafka = createKafka('test-clickhouse-sink');
const interactionCodec = createEventCodec('events.interactions.v1');
const eventTime = Date.now() - 3_600_000;
const groups: string[] = [];
let clickhouse: ClickHouseClient;
let producer: Producer;
let sink: RunningClickHouseSink | undefined;

const eventId = (n: number): string => `it-chsink:${suffix}:${n}`;
function interaction(n: number, item: number, action: InteractionAction, id = eventId(n)): Interaction {
  const purchase = action === 'purchase';
  return {
    event_id: id,
    user_id: user,
    visitor_id: null,
    item_id: item,
    action,
    event_time: eventTime + n * 1_000,
    source: 'beacon',
    session_id: null,
    price: purchase ? decimalFromString('149.90') : null,
    quantity: purchase ? 2 : null,
    request_id: purchase ? requestId : null,
    ingest_time: eventTime + 60_000,
  };
}

const exposure: Exposure = {
  request_id: requestId,
  user_id: user,
  event_time: eventTime,
  scene: 'home',
  experiment: 'it-chsink',
  variant: 'b',
  model_name: 'ranker',
  model_version: '3',
  degraded_reasons: [],
  latency_ms: 17,
  feature_names: ['popularity', 'affinity'],
  items: [
    { item_id: itemA, position: 0, channel: 'cooccurrence', score: 0.75, features: [0.5, 1.25], shown: true },
    { item_id: itemB, position: 1, channel: 'popular', score: 0.5, features: [0.25, 0], shown: true },
  ],
  ingest_time: eventTime + 10,
};

const source = { file: 'binlog.000003', pos: 4_242, ts_ms: eventTime };
const orderEnvelope = { op: 'c', before: null, after: { id: orderId, user_id: userNumber, status: 'paid', total_amount: '299.80', currency: 'CNY', created_at: eventTime, paid_at: eventTime + 5_000, updated_at: eventTime + 5_000 }, source };
const lineEnvelope = { op: 'c', before: null, after: { id: orderLineId, order_id: orderId, dataset_id: itemA, price: '149.90', quantity: 2 }, source };

async function send(topic: string, messages: { key: string; value: Buffer | string }[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages });
}

async function rows<T>(query: string): Promise<T[]> {
  const result = await clickhouse.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Row counts of this run's ids, without FINAL: duplicates would show. */
async function counts(): Promise<Record<string, number>> {
  const [row] = await rows<Record<string, string>>(`SELECT
      (SELECT count() FROM streamrec.interactions WHERE user_id = '${user}') AS interactions,
      (SELECT count() FROM streamrec.exposures WHERE request_id = '${requestId}') AS exposures,
      (SELECT count() FROM streamrec.items WHERE id IN (${itemA}, ${itemB})) AS items,
      (SELECT count() FROM streamrec.users WHERE id = ${userNumber}) AS users,
      (SELECT count() FROM streamrec.orders WHERE id = ${orderId}) AS orders,
      (SELECT count() FROM streamrec.order_items WHERE order_id = ${orderId}) AS order_items,
      (SELECT count() FROM streamrec.cooccurrence_increments WHERE kafka_topic = '${topics.pairs}') AS cooccurrence_increments,
      (SELECT count() FROM streamrec.cooccurrence WHERE item_id IN (${itemA}, ${itemB})) AS cooccurrence`);
  return Object.fromEntries(Object.entries(row ?? {}).map(([key, value]) => [key, Number(value)]));
}

/** The analysts' pair totals of this run's items (both directions). */
async function pairTotals(): Promise<string[]> {
  const result = await rows<Record<string, string | number>>(`SELECT item_id, other_item_id, sum(pair_count) AS pairs, sum(weight) AS weight
    FROM streamrec.cooccurrence WHERE item_id IN (${itemA}, ${itemB}) GROUP BY item_id, other_item_id ORDER BY item_id, other_item_id`);
  return result.map((row) => `${row['item_id'] === String(itemA) ? 'A' : 'B'}-${row['other_item_id'] === String(itemA) ? 'A' : 'B'} pairs=${row['pairs']} weight=${row['weight']}`);
}

/** Pair increments as streams/cooccurrence commits them: one committed transaction, then an aborted one. */
async function sendPairIncrements(): Promise<void> {
  const codec = createEventCodec('events.cooccurrence.v1');
  const day = Math.floor(eventTime / 86_400_000);
  const increment = (dayOffset: number, count: number, weight: number) => ({ key: `${itemA}:${itemB}`, value: codec.encode({ event_date: day + dayOffset, item_id: itemA, other_item_id: itemB, pair_count: count, weight }) });
  const transactional = kafka.producer({ transactionalId: `test-chsink-${suffix}`, idempotent: true, maxInFlightRequests: 1 });
  await transactional.connect();
  try {
    const committed = await transactional.transaction();
    await committed.send({ topic: topics.pairs, acks: -1, messages: [increment(0, 2, 5), increment(1, 1, 2)] });
    await committed.commit();
    const aborted = await transactional.transaction();
    await aborted.send({ topic: topics.pairs, acks: -1, messages: [increment(0, 100, 100)] });
    await aborted.abort();
  } finally {
    await transactional.disconnect();
  }
}

async function daily(): Promise<string[]> {
  const result = await rows<Record<string, string>>(`SELECT item_id, action, sum(events) AS events, sum(units) AS units, toString(sum(amount)) AS amount,
      uniqExactMerge(unique_events) AS unique_events
    FROM streamrec.interactions_daily WHERE item_id IN (${itemA}, ${itemB})
    GROUP BY item_id, action ORDER BY item_id, action`);
  return result.map((row) => `${row['item_id'] === String(itemA) ? 'A' : 'B'} ${row['action']} events=${row['events']} units=${row['units']} amount=${row['amount']} unique=${row['unique_events']}`);
}

const clickHouseHost = stackEnv['STREAMREC_HOST'] ?? '127.0.0.1';
const clickHousePort = Number(stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123');

function sinkConfig(groupVersion: string, clickHouseUrl = `http://${clickHouseHost}:${clickHousePort}`, sinkTopics: typeof topics = topics): ClickHouseSinkConfig {
  groups.push(`clickhouse-sink-${groupVersion}`);
  return parseClickHouseSinkConfig({
    ...processTestConfig('clickhouse-sink', { suffix, version, groupVersion }),
    // Test-owned topics: a fresh group reads them from the start, as a new deployment or a lost commit would.
    startFrom: 'earliest',
    topics: sinkTopics,
    clickhouse: {
      url: clickHouseUrl,
      username: stackEnv['STREAMREC_CLICKHOUSE_USER'],
      password: stackEnv['STREAMREC_CLICKHOUSE_PASSWORD'],
    },
    flush: { maxRows: 1_000, maxDelayMs: 200 },
  });
}

async function committedToEnd(groupId: string, topicList: readonly string[] = Object.values(topics)): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topicList) {
      const highs = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, high]));
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const { partition, offset } of committed?.partitions ?? []) {
        const high = highs.get(partition) ?? '0';
        if (high !== '0' && offset !== high) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${sink?.metricsPort() ?? 0}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

beforeAll(async () => {
  clickhouse = createClickHouse();
  producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, {
    topics: Object.entries(topics).map(([name, topic]) => ({ topic, numPartitions: name === 'interactions' || name === 'exposures' ? 2 : 1 })),
  });
  await admin.disconnect();
});

afterAll(async () => {
  await sink?.stop();
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups(groups).catch(() => undefined);
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  await admin.disconnect();
  await clickhouse.close();
});

describe('the clickhouse sink', () => {
  it('writes every table once, even when everything is read again, and dead-letters poison', async () => {
    const dlq = new CdcTopicReader(kafka, ['dlq.clickhouse-sink']);
    await dlq.start('now');
    try {
      sink = await startClickHouseSink(sinkConfig(`test-${suffix}-1`), pino({ level: 'silent' }));
      await sink.ready();
      const itemCodec = createEventCodec('events.items.v1');
      const userCodec = createEventCodec('events.users.v1');
      const catalogueItem = (id: number, price: string) => ({ id, title: `test ${id}`, description: 'd', tags: ['rates', 'daily'], industry: 'finance', price: decimalFromString(price), status: 'listed', available: true, deleted: false, created_at: eventTime, updated_at: eventTime, source_version: 1 });
      // Poison first in its partition, so the re-read below finds it at or below the stored offset.
      await send(topics.interactions, [
        { key: user, value: Buffer.from(`garbage ${suffix}`) },
        ...[
          interaction(1, itemA, 'view'),
          interaction(2, itemA, 'click'),
          interaction(3, itemB, 'view'),
          interaction(4, itemA, 'purchase'),
          // The stitched copy of event 3: the user's history gets it, the daily item counts must not.
          interaction(5, itemB, 'view', `stitch:${user}:${eventId(3)}`),
        ].map((event) => ({ key: user, value: interactionCodec.encode(event) })),
      ]);
      await send(topics.exposures, [{ key: user, value: createEventCodec('serving.exposures.v1').encode(exposure) }]);
      await send(topics.items, [itemA, itemB].map((id) => ({ key: String(id), value: itemCodec.encode(catalogueItem(id, id === itemA ? '149.90' : '0.10')) })));
      await send(topics.users, [{ key: user, value: userCodec.encode({ id: userNumber, industry: 'finance', country: 'CN', company_size: null, segment: null, created_at: eventTime, updated_at: eventTime, deleted: false, source_version: 9 }) }]);
      await send(topics.orders, [
        { key: JSON.stringify({ id: orderId }), value: '{"op":"c","after":' },
        { key: JSON.stringify({ id: orderId }), value: JSON.stringify(orderEnvelope) },
      ]);
      await send(topics.orderItems, [{ key: JSON.stringify({ id: orderLineId }), value: JSON.stringify(lineEnvelope) }]);
      await sendPairIncrements();

      const expected = { interactions: 5, exposures: 1, items: 2, users: 1, orders: 1, order_items: 1, cooccurrence_increments: 2, cooccurrence: 4 };
      await waitFor(async () => JSON.stringify(await counts()) === JSON.stringify(expected), { timeoutMs: 60_000, intervalMs: 250, description: 'every table to get its rows' });

      const letters = await dlq.waitUntil('two dead letters of this run', (records) => {
        const mine = records.map((record) => record.value as unknown as DeadLetter).filter((letter) => Object.values(topics).includes(letter.source.topic));
        return mine.length >= 2 ? mine : undefined;
      });
      expect(letters.map((letter) => [letter.source.topic, letter.code]).sort()).toEqual(
        [
          [topics.interactions, ErrorCode.PayloadInvalid],
          [topics.orders, ErrorCode.CdcEnvelopeInvalid],
        ].sort(),
      );
      for (const letter of letters) expect(letter.reason.length).toBeGreaterThan(5);

      const [purchase] = await rows<Record<string, string>>(
        `SELECT toString(price) AS price, quantity, request_id, kafka_topic, kafka_offset FROM streamrec.interactions WHERE event_id = '${eventId(4)}'`,
      );
      expect(purchase).toMatchObject({ price: '149.90', quantity: 2, request_id: requestId, kafka_topic: topics.interactions, kafka_offset: '4' });
      const [order] = await rows<Record<string, unknown>>(`SELECT toString(total_amount) AS total, user_id, status, toUnixTimestamp(paid_at) AS paid FROM streamrec.orders WHERE id = ${orderId}`);
      expect(order).toEqual({ total: '299.80', user_id: user, status: 'paid', paid: Math.floor((eventTime + 5_000) / 1000) });
      const [shown] = await rows<Record<string, unknown>>(`SELECT items.item_id AS shown, items.channel AS channels, variant FROM streamrec.exposures WHERE request_id = '${requestId}'`);
      expect(shown).toEqual({ shown: [String(itemA), String(itemB)], channels: ['cooccurrence', 'popular'], variant: 'b' });
      const [prices] = await rows<Record<string, string>>(`SELECT groupArray(toString(price)) AS prices FROM (SELECT price FROM streamrec.items WHERE id IN (${itemA}, ${itemB}) ORDER BY id)`);
      expect(prices).toEqual({ prices: ['149.90', '0.10'] });

      const dailyBefore = await daily();
      expect(dailyBefore).toEqual([
        'A view events=1 units=0 amount=0.00 unique=1',
        'A click events=1 units=0 amount=0.00 unique=1',
        'A purchase events=1 units=2 amount=299.80 unique=1',
        'B view events=1 units=0 amount=0.00 unique=1',
      ]);
      const pairsBefore = await pairTotals();
      expect(pairsBefore).toEqual(['A-B pairs=3 weight=7', 'B-A pairs=3 weight=7']);
      expect(await metric('clickhouse_sink_rows_inserted_total')).toBe(13);
      await sink.stop();
      sink = undefined;

      // A fresh group reads every topic from offset 0 again: what a crash between INSERT and Kafka
      // commit, or lost commits, would make the sink see. Nothing may be inserted twice.
      const secondGroup = `test-${suffix}-2`;
      sink = await startClickHouseSink(sinkConfig(secondGroup), pino({ level: 'silent' }));
      await sink.ready();
      await send(topics.interactions, [{ key: user, value: interactionCodec.encode(interaction(6, itemB, 'view')) }]);
      await waitFor(async () => (await committedToEnd(`clickhouse-sink-${secondGroup}`)) && (await counts()).interactions === 6, {
        timeoutMs: 60_000,
        intervalMs: 250,
        description: 'the second group to read every topic to its end',
      });
      expect(await counts()).toEqual({ ...expected, interactions: 6 });
      expect(await daily()).toEqual([...dailyBefore.slice(0, 3), 'B view events=2 units=0 amount=0.00 unique=2']);
      expect(await pairTotals()).toEqual(pairsBefore);
      // Every record of the first pass, poison included (6 + 1 + 2 + 1 + 2 + 1 + 2 committed pair records), was read again and skipped.
      expect(await metric('clickhouse_sink_already_stored_total')).toBe(15);
      expect(await metric('clickhouse_sink_rows_inserted_total')).toBe(1);
      // Merged, the distinct counts stay exact (the state columns are merged, not taken from one part).
      const month = new Date(eventTime).toISOString().slice(0, 7).replace('-', '');
      await clickhouse.command({ query: `OPTIMIZE TABLE streamrec.interactions_daily PARTITION ${month} FINAL` });
      expect(await daily()).toEqual([...dailyBefore.slice(0, 3), 'B view events=2 units=0 amount=0.00 unique=2']);
    } finally {
      await dlq.stop();
    }
  });

  it('retries while ClickHouse is unreachable and writes the batch once when it is back', async () => {
    await sink?.stop();
    const proxy = new SwitchableProxy(clickHouseHost, clickHousePort);
    await proxy.up();
    try {
      const group = `test-${suffix}-3`;
      sink = await startClickHouseSink(sinkConfig(group, `http://${clickHouseHost}:${proxy.port}`), pino({ level: 'silent' }));
      await sink.ready();
      await waitFor(() => committedToEnd(`clickhouse-sink-${group}`), { timeoutMs: 60_000, intervalMs: 250, description: 'the third group to skip everything stored' });
      const before = await counts();

      await proxy.down();
      await send(topics.interactions, [{ key: user, value: interactionCodec.encode(interaction(7, itemA, 'view')) }]);
      await waitFor(async () => (await metric('stream_retries_total{code="REC_DEPENDENCY_UNAVAILABLE"')) >= 2, {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: 'the sink to retry against the unreachable ClickHouse',
      });
      expect((await counts()).interactions).toBe(before.interactions);
      expect(sink.isHealthy()).toBe(true);

      await proxy.up();
      await waitFor(async () => (await counts()).interactions === (before.interactions ?? 0) + 1, { timeoutMs: 30_000, intervalMs: 250, description: 'the held interaction to land' });
      await waitFor(() => committedToEnd(`clickhouse-sink-${group}`), { timeoutMs: 30_000, intervalMs: 250, description: 'the third group to commit' });
      expect(await counts()).toEqual({ ...before, interactions: (before.interactions ?? 0) + 1 });
      expect((await daily())[0]).toBe('A view events=2 units=0 amount=0.00 unique=2');
      expect(await metric('clickhouse_sink_rows_inserted_total')).toBe(1);
    } finally {
      await sink?.stop();
      sink = undefined;
      await proxy.down();
    }
  });

  it('an INSERT that fails half way (part of it landed) is completed on the retry: every row once', async () => {
    // Between the sink and ClickHouse, a proxy lets the first INSERT of this topic write only its even
    // offsets (as when one monthly part of a multi-month INSERT is written and the next fails) and answers
    // 500; every later request passes unchanged. The highest offset then landed, with holes below it.
    const holes = { ...topics, interactions: `test.chsink.holes.${suffix}` };
    const holesUser = `${user}-holes`;
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsReady(admin, { topics: [{ topic: holes.interactions, numPartitions: 1 }] });
    await admin.disconnect();
    let faulted = false;
    const proxy = await startClickHouseFaultProxy(`http://${clickHouseHost}:${clickHousePort}`, clickHouseHost, ({ url, body }) => {
      if (faulted || !/INSERT/i.test(url) || !body.includes(holes.interactions)) return { answer: 'pass' };
      faulted = true;
      const evenOffsets = body.split('\n').filter((line) => !/"kafka_offset":[13][,}]/.test(line)).join('\n');
      return { answer: 'fail', status: 500, body: 'Code: 252, e.displayText() = DB::Exception: injected failure after the first part', forward: evenOffsets };
    });
    const proxyUrl = proxy.url;
    try {
      await send(holes.interactions, Array.from({ length: 6 }, (_, n) => ({ key: holesUser, value: interactionCodec.encode({ ...interaction(100 + n, itemA, 'view'), user_id: holesUser }) })));
      const group = `test-${suffix}-holes`;
      sink = await startClickHouseSink(sinkConfig(group, proxyUrl, holes), pino({ level: 'silent' }));
      await sink.ready();
      await waitFor(() => committedToEnd(`clickhouse-sink-${group}`, Object.values(holes)), { timeoutMs: 60_000, intervalMs: 250, description: 'the holes topic to be committed' });
      expect(faulted).toBe(true);
      const held = await rows<{ o: string }>(`SELECT toString(kafka_offset) AS o FROM streamrec.interactions WHERE kafka_topic = '${holes.interactions}' ORDER BY kafka_offset`);
      expect(held.map(({ o }) => o)).toEqual(['0', '1', '2', '3', '4', '5']);
      expect(await metric('clickhouse_sink_rows_inserted_total')).toBe(2);
    } finally {
      await sink?.stop();
      sink = undefined;
      await proxy.close();
    }
  });

  it('can stop a query of its own that is still running, as it stops an INSERT its client gave up on, and KILL … SYNC returns once it ended', async () => {
    // The application user's right to KILL its own queries on this ClickHouse (18.16) is what keeps a timed-out
    // INSERT from landing after the retry read which rows are present (streams/clickhouse-sink/README.md).
    const queryId = crypto.randomUUID();
    const started = Date.now();
    const running = clickhouse.query({ query: 'SELECT sleep(3), sleep(3), sleep(3) FROM system.numbers LIMIT 3', query_id: queryId, format: 'JSONEachRow' }).then(
      async (result) => `finished: ${JSON.stringify(await result.json())}`,
      (error: unknown) => `stopped: ${String(error)}`,
    );
    await waitFor(async () => (await rows<{ n: string }>(`SELECT toString(count()) AS n FROM system.processes WHERE query_id = '${queryId}'`))[0]?.n === '1', { timeoutMs: 10_000, intervalMs: 50, description: 'the slow query to run' });
    await clickhouse.command({ query: stopQuery(queryId) });
    const stoppedAfterMs = Date.now() - started;
    expect((await rows<{ n: string }>(`SELECT toString(count()) AS n FROM system.processes WHERE query_id = '${queryId}'`))[0]?.n).toBe('0');
    expect(await running).toMatch(/^stopped: .*(Code: 394|QUERY_WAS_CANCELLED|cancel)/i);
    expect(stoppedAfterMs).toBeLessThan(9_000); // the three 3-second sleeps did not all run
  });
});
