import type { Kafka } from 'kafkajs';

/**
 * The partitions of `topic` that hold records now, with their end offsets: a reader of a compacted
 * topic from the beginning (catalogue, models) has caught up once it has read up to these.
 */
export async function nonEmptyEndOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  const pending = new Map<number, bigint>();
  try {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) > BigInt(low)) pending.set(partition, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  return pending;
}
