import type { Kafka } from 'kafkajs';
import { createEventCodec } from '@streamrec/schemas/avro';
import { type ItemActivityWire } from '@streamrec/schemas';
import { uniqueSuffix } from './stack.js';
import { waitFor } from './wait-for.js';

/**
 * Reads a whole repartition topic back and returns each record's `kind dedup_id`, split at `splitAt`
 * (per partition: records below it go to `first`, the rest to `second`).
 */
export async function repartitionDedupIds(kafka: Kafka, topic: string, splitAt: readonly bigint[]): Promise<{ first: Set<string>; second: Set<string> }> {
  const codec = createEventCodec('repartition.item-activity.v1');
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `test-read-${uniqueSuffix()}`;
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 8 * 1024 * 1024 });
  try {
    const total = (await admin.fetchTopicOffsets(topic)).reduce((sum, { high }) => sum + BigInt(high), 0n);
    const first = new Set<string>();
    const second = new Set<string>();
    let read = 0n;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const record: ItemActivityWire = codec.decode(message.value ?? Buffer.alloc(0));
          (BigInt(message.offset) < (splitAt[batch.partition] ?? 0n) ? first : second).add(`${record.kind} ${record.dedup_id}`);
          read += 1n;
        }
        return Promise.resolve();
      },
    });
    await waitFor(() => read >= total, { timeoutMs: 300_000, intervalMs: 200, description: `all of ${topic} read back` });
    return { first, second };
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
