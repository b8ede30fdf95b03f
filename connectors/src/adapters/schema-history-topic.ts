import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { SchemaHistory } from '../schema-history-recovery.js';

/**
 * Debezium's schema history topic read with kafkajs: its end, and the tables of the CREATE TABLE records
 * written from an offset on (`tableChanges[].id` is `"db"."table"`). One partition, as Debezium requires.
 * The watching consumer's group is its own and is deleted on close.
 */
export function schemaHistoryTopic(kafka: Kafka): SchemaHistory {
  return {
    async end(topic) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [partition] = await admin.fetchTopicOffsets(topic);
        return BigInt(partition?.high ?? '0');
      } finally {
        await admin.disconnect();
      }
    },
    async watch(topic, from) {
      const created = new Set<string>();
      const group = `streamrec-connectors-history-${randomBytes(6).toString('hex')}`;
      const consumer = kafka.consumer({ groupId: group, allowAutoTopicCreation: false });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: ({ message }) => {
          // Records before `from` (read until the seek below takes effect) are the old history.
          if (BigInt(message.offset) < from) return Promise.resolve();
          for (const table of createdTables(message.value)) created.add(table);
          return Promise.resolve();
        },
      });
      consumer.seek({ topic, partition: 0, offset: from.toString() });
      return {
        created: () => created,
        async close() {
          await consumer.disconnect();
          const admin = kafka.admin();
          await admin.connect();
          await admin.deleteGroups([group]).catch(() => undefined);
          await admin.disconnect();
        },
      };
    },
  };
}

function createdTables(value: Buffer | null): string[] {
  if (value === null) return [];
  try {
    const record = JSON.parse(value.toString('utf8')) as { tableChanges?: { type?: string; id?: string }[] };
    return (record.tableChanges ?? []).filter((change) => change.type === 'CREATE' && typeof change.id === 'string').map((change) => (change.id ?? '').replace(/"/g, ''));
  } catch {
    return [];
  }
}
