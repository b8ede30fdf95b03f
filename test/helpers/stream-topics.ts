import type { Kafka, Producer } from 'kafkajs';
import { createEventCodec } from '@streamrec/schemas/avro';
import { decimalFromString, type Interaction, type InteractionAction, type ItemChange } from '@streamrec/schemas';
import { createTopicsReady } from '@streamrec/foundation/kafka';

/**
 * Test-owned copies of the stream topics (same partition counts as schemas/topics.json), so a test can
 * run processors from offset 0 without reading the demo data or writing into the real topics.
 */
export interface StreamTopics {
  readonly interactions: string;
  readonly items: string;
  readonly itemActivity: string;
  /** What features relays as CTR exposures: test-owned, so the API's real exposures never reach a test. */
  readonly exposures: string;
  /** Shop profiles for features' profile stage: test-owned, so the demo's users never reach a test. */
  readonly users: string;
}

export function streamTopicsFor(suffix: string): StreamTopics {
  return {
    interactions: `test.interactions.${suffix}`,
    items: `test.items.${suffix}`,
    itemActivity: `test.item-activity.${suffix}`,
    exposures: `test.exposures.${suffix}`,
    users: `test.users.${suffix}`,
  };
}

export async function createStreamTopics(kafka: Kafka, topics: StreamTopics): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsReady(admin, {
      topics: [
        { topic: topics.interactions, numPartitions: 6 },
        { topic: topics.items, numPartitions: 3 },
        { topic: topics.itemActivity, numPartitions: 6 },
        { topic: topics.exposures, numPartitions: 6 },
        { topic: topics.users, numPartitions: 3 },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

const interactionCodec = createEventCodec('events.interactions.v1');
const itemCodec = createEventCodec('events.items.v1');

export function testInteraction(run: string, n: number, user: string, item: number, action: InteractionAction, eventTime: number): Interaction {
  return {
    event_id: `it:${run}:${n}`,
    user_id: user,
    visitor_id: null,
    item_id: item,
    action,
    event_time: eventTime,
    source: 'beacon',
    session_id: null,
    price: null,
    quantity: null,
    request_id: null,
    ingest_time: eventTime + 1_000,
  };
}

export function testCatalogueItem(id: number, industry: string, tags: string[], at: number): ItemChange {
  return { id, title: `test ${id}`, description: '', tags, industry, price: decimalFromString('99.00'), status: 'listed', available: true, deleted: false, created_at: at, updated_at: at, source_version: 1 };
}

/** Produces interactions keyed by user (Kafka's partitioner), optionally with an explicit record timestamp. */
export async function sendInteractions(producer: Producer, topic: string, interactions: readonly Interaction[], timestampMs?: number): Promise<void> {
  const messages = interactions.map((value) => ({
    key: value.user_id,
    value: interactionCodec.encode(value),
    ...(timestampMs === undefined ? {} : { timestamp: String(timestampMs) }),
  }));
  await producer.send({ topic, acks: -1, messages });
}

export async function sendCatalogue(producer: Producer, topic: string, items: readonly ItemChange[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: items.map((item) => ({ key: String(item.id), value: itemCodec.encode(item) })) });
}

/** The value of `stream_events_total{topic}` on a process's /metrics (0 when the series does not exist yet). */
export async function eventsTotal(metricsPort: number, topic: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('stream_events_total{') && candidate.includes(`topic="${topic}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}
