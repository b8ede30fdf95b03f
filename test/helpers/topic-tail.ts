import type { Consumer, Kafka } from 'kafkajs';
import { uniqueSuffix } from './stack.js';

export interface TailedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** Reads raw records produced to some topics after `start` returns, and keeps them in memory. */
export class TopicTail {
  readonly records: TailedRecord[] = [];
  private consumer: Consumer | undefined;
  private startOffsets = new Map<string, bigint>();

  constructor(private readonly kafka: Kafka, private readonly topics: readonly string[]) {}

  /**
   * Reads every record produced after this call (or, with `from`, from those offsets: `topic/partition` →
   * offset, as `highWatermarks` returns them, e.g. taken before a fault that a consumer would not survive).
   * The tail commits nothing, so kafkajs would resolve "latest" again at every rejoin (a broker restart)
   * and skip what was produced meanwhile: every join seeks each partition to the next offset not yet read.
   */
  async start(from?: ReadonlyMap<string, bigint>): Promise<void> {
    const groupId = `test-tail-${uniqueSuffix()}`;
    this.startOffsets = new Map(from ?? (await this.highWatermarks()));
    const next = new Map(this.startOffsets);
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    const seekAll = (): void => {
      for (const [id, offset] of next) {
        const [topic, partition] = splitId(id);
        consumer.seek({ topic, partition, offset: offset.toString() });
      }
    };
    consumer.on(consumer.events.GROUP_JOIN, seekAll);
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ topic, partition, message }) => {
        const id = `${topic}/${partition}`;
        const offset = BigInt(message.offset);
        // A fetch already under way when a seek lands can deliver a record again: keep each offset once.
        if (offset < (next.get(id) ?? 0n)) return Promise.resolve();
        next.set(id, offset + 1n);
        this.records.push({ topic, partition, offset: message.offset, key: message.key, value: message.value });
        return Promise.resolve();
      },
    });
    // Seeks are applied before the first fetch, so nothing produced after the watermarks were read is missed.
    seekAll();
    this.consumer = consumer;
  }

  /** `topic/partition` → the offset the next record produced there will get. */
  async highWatermarks(): Promise<Map<string, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const highs = new Map<string, bigint>();
      for (const topic of this.topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) highs.set(`${topic}/${partition}`, BigInt(high));
      }
      return highs;
    } finally {
      await admin.disconnect();
    }
  }

  of(topic: string): TailedRecord[] {
    return this.records.filter((record) => record.topic === topic);
  }

  /** True once every record produced to `topic` up to its current high watermarks has been read. */
  async caughtUp(topic: string): Promise<boolean> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
        const read = this.records.filter((record) => record.topic === topic && record.partition === partition).map((record) => BigInt(record.offset));
        const next = read.length > 0 ? read.reduce((a, b) => (a > b ? a : b)) + 1n : (this.startOffsets.get(`${topic}/${partition}`) ?? 0n);
        if (next < BigInt(high)) return false;
      }
      return true;
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

function splitId(id: string): [string, number] {
  const slash = id.lastIndexOf('/');
  return [id.slice(0, slash), Number(id.slice(slash + 1))];
}
