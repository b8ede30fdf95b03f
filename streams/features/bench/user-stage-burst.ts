/**
 * Throughput of the features process on a burst (needs the local stack): produces N synthetic
 * interactions to a bench-owned topic, starts the process from the earliest offsets under a bench-owned
 * state version and measures until the user stage's stored offsets reach the end of every partition.
 * Usage: tsx streams/features/bench/user-stage-burst.ts [count=50000]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import pino from 'pino';
import { offsetsKey, parseStateVersion } from '@streamrec/shared';
import { createEventCodec, type Interaction } from '@streamrec/schemas';
import { startFeatures } from '../src/app.js';
import { loadFeaturesConfig, parseFeaturesConfig } from '../src/config.js';
import { USER_STAGE_FIELD } from '../src/adapters/user-stage-handler.js';

const count = Number(process.argv[2] ?? 50_000);
const base = loadFeaturesConfig();
const suffix = `${Date.now().toString(36)}${process.pid}`;
const topics = { interactions: `bench.interactions.${suffix}`, itemActivity: `bench.item-activity.${suffix}`, items: base.topics.items };
const version = parseStateVersion(`v${990_000 + Math.floor(Math.random() * 9_000)}`);
const kafka = new Kafka({ clientId: 'features-bench', brokers: [...base.kafka.brokers], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const redis = new Redis({ host: base.redis.host, port: base.redis.port });
const actions = ['view', 'view', 'view', 'click', 'click', 'download', 'favorite', 'cart', 'purchase'] as const;

await admin.connect();
await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.interactions, numPartitions: 6 }, { topic: topics.itemActivity, numPartitions: 6 }] });
try {
  const codec = createEventCodec('events.interactions.v1');
  const producer = kafka.producer();
  await producer.connect();
  const now = Date.now() - 3_600_000;
  for (let start = 0; start < count; start += 5_000) {
    const messages = Array.from({ length: Math.min(5_000, count - start) }, (_, index) => {
      const n = start + index;
      const value: Interaction = {
        event_id: `bench:${suffix}:${n}`,
        user_id: String(n % 5_000),
        visitor_id: null,
        item_id: 1 + ((n * 7919) % 2_000),
        action: actions[n % actions.length]!,
        event_time: now + n,
        source: 'beacon',
        session_id: null,
        price: null,
        quantity: null,
        request_id: n % 10 === 0 ? `req-${n}` : null,
        ingest_time: now + n + 100,
      };
      return { key: value.user_id, value: codec.encode(value) };
    });
    await producer.send({ topic: topics.interactions, acks: -1, messages });
  }
  await producer.disconnect();
  const ends = await admin.fetchTopicOffsets(topics.interactions);

  const config = parseFeaturesConfig({ ...base, topics, stateVersion: version, groupVersion: `bench-${suffix}`, startFrom: 'earliest', metrics: { port: 0 }, log: { level: 'warn' } });
  const started = performance.now();
  const app = await startFeatures(config, pino({ level: 'warn' }));
  const consumerStarted = performance.now();
  for (;;) {
    let done = true;
    for (const { partition, high } of ends) {
      const stored = await redis.hget(offsetsKey(version, partition), USER_STAGE_FIELD);
      if (BigInt(high) > 0n && (stored === null || BigInt(stored) + 1n < BigInt(high))) done = false;
    }
    if (done) break;
    await sleep(20); // polling interval of the measurement, not a wait for a result
  }
  const finished = performance.now();
  await app.stop();
  const seconds = (finished - consumerStarted) / 1000;
  process.stdout.write(
    `${JSON.stringify({ count, startupMs: Math.round(consumerStarted - started), userStageSeconds: Number(seconds.toFixed(2)), eventsPerSecond: Math.round(count / seconds) })}\n`,
  );
} finally {
  await admin.deleteTopics({ topics: [topics.interactions, topics.itemActivity] }).catch(() => undefined);
  await admin.deleteGroups([`features-user-bench-${suffix}`, `features-item-bench-${suffix}`]).catch(() => undefined);
  await admin.disconnect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `sr:${version}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
