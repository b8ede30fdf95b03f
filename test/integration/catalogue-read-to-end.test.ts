/**
 * Integration (needs the local stack's Kafka): the catalogue reader's `readToEnd`, which features' user
 * stage awaits before joining a batch that names an item the catalogue does not know yet
 * (packages/streams-common/src/adapters/catalogue-barrier.ts). Every dataset acknowledged on the catalogue
 * topic is in the store once `readToEnd` resolves, also when the reader needs several fetches to get
 * there; a reader that cannot reach the new end resolves false after the timeout. (The reader is usually
 * at the end already by the time the offsets request returns, so the first case guards the property; the
 * unit test of the reader shows the wait itself, with the fetches under its control.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Partitioners, type Admin, type Producer } from 'kafkajs';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import { decimalFromString } from '@streamrec/schemas';
import { CatalogueStore, itemIdOf } from '@streamrec/streams-common';
import { startCatalogueReader, type CatalogueReader } from '@streamrec/streams-common/adapters';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const suffix = uniqueSuffix();
const topic = `test.catalogue-read-to-end.${suffix}`;
const kafka = createKafka('test-catalogue-read-to-end');
const codec = createEventCodec(AvroSchemaName.Items);
const ROUNDS = 3;
const PER_ROUND = 20_000;
let admin: Admin;
let producer: Producer;
let reader: CatalogueReader | undefined;
const store = new CatalogueStore();

function dataset(id: number): Buffer {
  return codec.encode({
    id,
    title: `dataset ${id}`,
    description: 'read-to-end test',
    tags: ['test'],
    industry: 'finance',
    price: decimalFromString('10.00'),
    status: 'published',
    available: true,
    deleted: false,
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    source_version: 1,
  });
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, { topics: [{ topic, numPartitions: 3 }] });
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: '1', value: dataset(1) }] });
  reader = await startCatalogueReader(kafka, store, { topic, groupId: `test-read-to-end-${suffix}` }, pino({ level: 'silent' }));
  await reader.caughtUp();
}, 60_000);

afterAll(async () => {
  await reader?.stop();
  await producer?.disconnect();
  await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin?.disconnect();
});

describe('the catalogue reader against Kafka', () => {
  it('holds every dataset acknowledged before readToEnd once it resolves, in every round', async () => {
    expect(store.lookup(itemIdOf(1), 0)?.industry).toBe('finance');
    for (let round = 0; round < ROUNDS; round += 1) {
      // Enough records that the reader needs several fetches and a good part of a second to decode them.
      const ids = Array.from({ length: PER_ROUND }, (_, index) => 1_000 + round * PER_ROUND + index);
      await producer.send({ topic, acks: -1, messages: ids.map((id) => ({ key: String(id), value: dataset(id) })) });
      const missingAfterAck = ids.filter((id) => store.lookup(itemIdOf(id), 0) === undefined).length;
      expect(await reader!.readToEnd(30_000)).toBe(true);
      const missing = ids.filter((id) => store.lookup(itemIdOf(id), 0) === undefined);
      console.log(`catalogue-read-to-end round ${round}: ${missingAfterAck} of ${PER_ROUND} datasets not in the store right after the acknowledgement, ${missing.length} after readToEnd`);
      expect(missing).toEqual([]);
    }
  });

  it('resolves at once when the reader is already at the end, and false when the end is not reached in time', async () => {
    const started = Date.now();
    expect(await reader!.readToEnd(10_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    // A stopped reader never reaches a new end.
    const stopped = await startCatalogueReader(kafka, new CatalogueStore(), { topic, groupId: `test-read-to-end-stopped-${suffix}` }, pino({ level: 'silent' }));
    await stopped.caughtUp();
    await stopped.stop();
    await producer.send({ topic, acks: -1, messages: [{ key: '999', value: dataset(999) }] });
    expect(await stopped.readToEnd(500)).toBe(false);
  });
});
