import type { Consumer, Kafka } from 'kafkajs';
import type { SignalTopic } from '../snapshot-by-signal.js';

/**
 * Reads the connector's signal topic from its start with a consumer group of its own (deleted on close)
 * and remembers the ids of the signal rows it saw (the record key is Debezium's JSON key, `{"id": …}`).
 */
export async function startSignalTopicReader(kafka: Kafka, topic: string, group: string): Promise<SignalTopic & { close(): Promise<void> }> {
  const seen = new Set<string>();
  const consumer: Consumer = kafka.consumer({ groupId: group, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: ({ message }) => {
      const id = signalIdOf(message.key);
      if (id !== undefined) seen.add(id);
      return Promise.resolve();
    },
  });
  return {
    holds: (id) => Promise.resolve(seen.has(id)),
    async close() {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.deleteGroups([group]);
      } catch {
        // The group may already be gone; nothing of it is needed again.
      } finally {
        await admin.disconnect();
      }
    },
  };
}

function signalIdOf(key: Buffer | null): string | undefined {
  if (key === null) return undefined;
  try {
    const parsed = JSON.parse(key.toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string') return parsed.id;
  } catch {
    // Not a signal row's key: ignored.
  }
  return undefined;
}
