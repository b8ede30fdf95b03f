import type { Admin, Producer } from 'kafkajs';
import { createEventCodec } from '@streamrec/schemas/avro';
import { decimalFromString, type Interaction, type ItemChange } from '@streamrec/schemas';
import { attributeTags, type Dataset } from '../domain/dataset.js';
import type { ReplayEvent } from '../domain/schedule.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

/** The topics one evaluation run owns (deleted at the end unless --keep). */
export interface EvalTopics {
  readonly interactions: string;
  readonly items: string;
  readonly exposures: string;
  readonly models: string;
  /** Shop profiles: none in a public dataset, but the run's own (empty) topic, never the shop's. */
  readonly users: string;
}

export const evalTopicNames = (runId: string): EvalTopics => ({
  interactions: `eval.${runId}.interactions`,
  items: `eval.${runId}.items`,
  exposures: `eval.${runId}.exposures`,
  models: `eval.${runId}.models`,
  users: `eval.${runId}.users`,
});

export async function createEvalTopics(admin: Admin, topics: EvalTopics, partitions: number): Promise<void> {
  await createTopicsReady(admin, {
    topics: [
      { topic: topics.interactions, numPartitions: partitions },
      { topic: topics.items, numPartitions: 3 },
      { topic: topics.exposures, numPartitions: partitions },
      { topic: topics.users, numPartitions: 3 },
      { topic: topics.models, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'max.message.bytes', value: '67108864' }] },
    ],
  });
}

const itemCodec = createEventCodec('events.items.v1');
const interactionCodec = createEventCodec('events.interactions.v1');

/** A catalogue record of a dataset item: its attributes as tags and as the only text content recall sees. */
export function itemRecord(item: number, attributes: readonly number[] | undefined, atMs: number): ItemChange {
  const tags = attributeTags(attributes);
  return {
    id: item,
    title: tags.join(' '),
    description: '',
    tags,
    industry: '',
    price: decimalFromString('0.00'),
    status: 'listed',
    available: true,
    deleted: false,
    created_at: atMs,
    updated_at: atMs,
    source_version: 1,
  };
}

export function viewInteraction(event: ReplayEvent): Interaction {
  return {
    event_id: event.eventId,
    user_id: event.user,
    visitor_id: null,
    item_id: event.item,
    action: 'view',
    event_time: event.eventTimeMs,
    source: 'shop',
    session_id: null,
    price: null,
    quantity: null,
    request_id: null,
    // Ingested when it happened: the processors measure "from the future" against this.
    ingest_time: event.eventTimeMs,
  };
}

const BATCH = 5_000;

export async function produceItems(producer: Producer, topic: string, dataset: Dataset, atMs: number): Promise<number> {
  for (let start = 0; start < dataset.items.length; start += BATCH) {
    const messages = dataset.items.slice(start, start + BATCH).map((item) => ({ key: String(item), value: itemCodec.encode(itemRecord(item, dataset.attributes.get(item), atMs)) }));
    await producer.send({ topic, acks: -1, messages });
  }
  return dataset.items.length;
}

/** Keyed by user (the processors' user stage partitions by it), in event-time order, in batches. */
export async function produceInteractions(producer: Producer, topic: string, events: readonly ReplayEvent[], onBatch: (sent: number) => void): Promise<void> {
  for (let start = 0; start < events.length; start += BATCH) {
    const messages = events.slice(start, start + BATCH).map((event) => ({ key: event.user, value: interactionCodec.encode(viewInteraction(event)) }));
    await producer.send({ topic, acks: -1, messages });
    onBatch(Math.min(events.length, start + BATCH));
  }
}
