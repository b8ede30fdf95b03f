import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { kafkaClientOptions, type KafkaConfig } from '@streamrec/foundation';
import type { KafkaProbe } from '../domain/world.js';

/** Raw access to topics for the drills: poison in, dead letters out. */
export function kafkaProbe(config: KafkaConfig): KafkaProbe & { close(): Promise<void> } {
  const kafka = new Kafka({ clientId: 'streamrec-drill', ...kafkaClientOptions(config), logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  const connectedAdmin = async (): Promise<Admin> => {
    if (admin === undefined) {
      const created = kafka.admin();
      await created.connect();
      admin = created;
    }
    return admin;
  };
  const ends = async (topic: string): Promise<Map<number, bigint>> => {
    const offsets = await (await connectedAdmin()).fetchTopicOffsets(topic);
    return new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
  };
  return {
    async produceRaw(topic, records) {
      if (producer === undefined) {
        const created = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
        await created.connect();
        producer = created;
      }
      await producer.send({ topic, acks: -1, messages: records.map((record) => ({ key: record.key ?? null, value: record.value })) });
    },
    ends,
    async readSince(topic, from) {
      const until = await ends(topic);
      const wanted = [...until].filter(([partition, end]) => end > (from.get(partition) ?? 0n));
      if (wanted.length === 0) return [];
      const groupId = `streamrec-drill-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      const consumer = kafka.consumer({ groupId });
      const values: string[] = [];
      const remaining = new Map(wanted);
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        const done = new Promise<void>((resolve) => {
          void consumer.run({
            autoCommit: false,
            eachMessage: ({ partition, message }) => {
              const end = remaining.get(partition);
              if (end !== undefined) {
                const offset = BigInt(message.offset);
                if (offset >= (from.get(partition) ?? 0n) && offset < end) values.push(message.value?.toString('utf8') ?? '');
                if (offset + 1n >= end) remaining.delete(partition);
                if (remaining.size === 0) resolve();
              }
              return Promise.resolve();
            },
          });
        });
        consumer.on(consumer.events.GROUP_JOIN, () => {
          for (const [partition] of wanted) consumer.seek({ topic, partition, offset: (from.get(partition) ?? 0n).toString() });
        });
        await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`reading ${topic}: timed out`)), 30_000))]);
      } finally {
        await consumer.disconnect();
        // A reader group of its own, removed afterwards so drills leave no groups behind.
        await (await connectedAdmin()).deleteGroups([groupId]).catch(() => undefined);
      }
      return values;
    },
    async close() {
      await producer?.disconnect();
      await admin?.disconnect();
    },
  };
}
