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
  private crash: Error | undefined;

  constructor(private readonly kafka: Kafka, private readonly topics: readonly string[]) {}

  /**
   * `from: 'now'` reads only what is produced after this call returns (the high watermarks are taken
   * first, then every partition is sought to them); `'beginning'` reads the whole topic.
   */
  async start(from: 'now' | 'beginning' = 'now'): Promise<void> {
    const startOffsets = from === 'now' ? await this.highWatermarks() : undefined;
    const consumer = this.kafka.consumer({ groupId: `test-reader-${uniqueSuffix()}`, maxWaitTimeInMs: 100 });
    consumer.on(consumer.events.CRASH, (event) => {
      this.crash = event.payload.error;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        this.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key === null ? null : parseKey(message.key.toString('utf8')),
          value: message.value === null ? null : (JSON.parse(message.value.toString('utf8')) as DebeziumEnvelope),
        });
        return Promise.resolve();
      },
    });
    for (const { topic, partition, offset } of startOffsets ?? []) consumer.seek({ topic, partition, offset });
    this.consumer = consumer;
  }

  private async highWatermarks(): Promise<{ topic: string; partition: number; offset: string }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const result: { topic: string; partition: number; offset: string }[] = [];
      for (const topic of this.topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) result.push({ topic, partition, offset: high });
      }
      return result;
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  forTopic(topic: string): CdcRecord[] {
    return this.records.filter((record) => record.topic === topic);
  }

  /** Waits until `select` returns a value for the records read so far. */
  async waitUntil<T>(description: string, select: (records: readonly CdcRecord[]) => T | undefined | false, timeoutMs = 60_000): Promise<T> {
    return waitFor(
      () => {
        // A crashed consumer will never deliver: fail now with its error instead of timing out.
        if (this.crash !== undefined) throw new CdcReaderCrashed(this.crash);
        return select(this.records);
      },
      // Selecting from records in memory cannot fail transiently: any error is final.
      { timeoutMs, description, intervalMs: 100, failFast: () => true },
    );
  }
}

/** Debezium keys are JSON objects; other topics (DLQs of string-keyed topics) keep the raw text. */
function parseKey(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // not JSON: fall through
  }
  return { raw: text };
}

class CdcReaderCrashed extends Error {
  constructor(cause: Error) {
    super(`the topic reader's consumer crashed: ${cause.message}`, { cause });
  }
}

/** The key of a record as a stable string (Debezium keys are JSON objects of the primary key columns). */
export function keyString(record: CdcRecord): string {
  return JSON.stringify(record.key);
}
