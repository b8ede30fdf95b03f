import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { createEventCodec, isAvroSchemaName } from '@streamrec/schemas/avro';
import { renderRecord, tailWindows, type ValueDecoder } from './tail-plan.js';

/**
 * Prints the last `count` records of every partition of `topic` (e.g. a dead-letter topic) as JSON
 * lines, then returns: records produced after the start are not waited for. Uses a throw-away
 * consumer group, deleted afterwards.
 */
export async function tailTopic(kafka: Kafka, admin: Admin, topic: string, count: number, write: (line: string) => void): Promise<number> {
  const windows = tailWindows(await admin.fetchTopicOffsets(topic), count);
  if (windows.length === 0) return 0;
  const decode: ValueDecoder | undefined = isAvroSchemaName(topic) ? (value) => createEventCodec(topic).decode(value) : undefined;
  const pending = new Map(windows.map((window) => [window.partition, window]));
  const groupId = `streamrec-topics-tail-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  let printed = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    const done = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const window = pending.get(partition);
            if (window === undefined || BigInt(message.offset) < window.from) return;
            if (BigInt(message.offset) < window.until) {
              write(renderRecord({ partition, offset: message.offset, timestampMs: Number(message.timestamp), key: message.key, value: message.value }, decode));
              printed += 1;
            }
            if (BigInt(message.offset) >= window.until - 1n) pending.delete(partition);
            if (pending.size === 0) resolve();
            return Promise.resolve();
          },
        })
        .then(() => {
          for (const window of windows) consumer.seek({ topic, partition: window.partition, offset: window.from.toString() });
        }, reject);
    });
    await done;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return printed;
}
