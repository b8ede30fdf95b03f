import type { Consumer, Kafka } from 'kafkajs';
import { uniqueSuffix } from './stack.js';
import { waitFor } from './wait-for.js';

/** A Debezium change event as the JSON converter writes it without schemas. */
export interface DebeziumEnvelope {
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  readonly op: 'c' | 'u' | 'd' | 'r' | 't' | 'm';
  readonly ts_ms: number;
  readonly source: Record<string, unknown>;
}

export interface CdcRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Record<string, unknown> | null;
  /** null for a tombstone (the record Debezium writes after a delete so compaction can drop the key). */
  readonly value: DebeziumEnvelope | null;
}

/**
 * Reads CDC topics from the beginning in the background and keeps every record in memory,
 * so a test can wait until what it expects has arrived.
 */
export class CdcTopicReader {
  readonly records: CdcRecord[] = [];
  private consumer: Consumer | undefined;

  constructor(private readonly kafka: Kafka, private readonly topics: readonly string[]) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `test-reader-${uniqueSuffix()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        this.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key === null ? null : (JSON.parse(message.key.toString('utf8')) as Record<string, unknown>),
          value: message.value === null ? null : (JSON.parse(message.value.toString('utf8')) as DebeziumEnvelope),
        });
        return Promise.resolve();
      },
    });
    this.consumer = consumer;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  forTopic(topic: string): CdcRecord[] {
    return this.records.filter((record) => record.topic === topic);
  }

  /** Waits until `select` returns a value for the records read so far. */
  async waitUntil<T>(description: string, select: (records: readonly CdcRecord[]) => T | undefined | false, timeoutMs = 60_000): Promise<T> {
    return waitFor(() => select(this.records), { timeoutMs, description, intervalMs: 100 });
  }
}

/** The key of a record as a stable string (Debezium keys are JSON objects of the primary key columns). */
export function keyString(record: CdcRecord): string {
  return JSON.stringify(record.key);
}
