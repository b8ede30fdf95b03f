import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { kafkaClientOptions, type KafkaConfig } from '@streamrec/foundation';
import type { TopicRead, TopicRecord } from '../domain/measurements.js';
import type { DataWindow } from '../domain/window.js';

/** What a run reads from Kafka: the records of the window on every topic with a prefix (newest N per partition). */
export interface TopicReader {
  read(requests: readonly TopicRequest[], window: DataWindow, timeoutMs: number): Promise<Map<string, TopicRead>>;
}

export interface TopicRequest {
  readonly prefix: string;
  readonly maxPerPartition: number;
}

interface PartitionWindow {
  readonly prefix: string;
  readonly topic: string;
  readonly partition: number;
  readonly from: bigint;
  /** Exclusive: the first offset at or after the window's end. */
  readonly until: bigint;
}

/** Offsets [from, until) of the window on each partition, at most `max` of the newest. */
async function partitionWindows(admin: Admin, prefix: string, topics: readonly string[], window: DataWindow, max: number): Promise<PartitionWindow[]> {
  const windows: PartitionWindow[] = [];
  for (const topic of topics) {
    const bounds = await admin.fetchTopicOffsets(topic);
    // An offset of -1 (no record at or after the time) comes back as the high watermark.
    const starts = new Map((await admin.fetchTopicOffsetsByTimestamp(topic, window.fromMs)).map(({ partition, offset }) => [partition, BigInt(offset)]));
    const ends = new Map((await admin.fetchTopicOffsetsByTimestamp(topic, window.toMs)).map(({ partition, offset }) => [partition, BigInt(offset)]));
    for (const { partition, low, high } of bounds) {
      const until = ends.get(partition) ?? BigInt(high);
      const newest = until - BigInt(max);
      const candidates = [starts.get(partition) ?? BigInt(low), BigInt(low), newest];
      const from = candidates.reduce((a, b) => (a > b ? a : b));
      if (from < until) windows.push({ prefix, topic, partition, from, until });
    }
  }
  return windows;
}

/** kafkajs, one throw-away consumer group for all prefixes (deleted afterwards), never committing. */
export function kafkaTopicReader(config: KafkaConfig): TopicReader {
  const kafka = new Kafka({ clientId: 'streamrec-dq', ...kafkaClientOptions(config), logLevel: logLevel.NOTHING, connectionTimeout: 5_000, retry: { retries: 2 } });
  return {
    async read(requests, window, timeoutMs) {
      const admin = kafka.admin();
      await admin.connect();
      const groupId = `streamrec-dq-${randomUUID()}`;
      let consumerStarted = false;
      try {
        const all = (await admin.listTopics()).sort();
        const topicsOf = new Map(requests.map((request) => [request.prefix, all.filter((topic) => topic.startsWith(request.prefix))]));
        const windows: PartitionWindow[] = [];
        for (const request of requests) windows.push(...(await partitionWindows(admin, request.prefix, topicsOf.get(request.prefix) ?? [], window, request.maxPerPartition)));
        const records = new Map<string, TopicRecord[]>(requests.map((request) => [request.prefix, []]));
        const pending = new Map(windows.map((entry) => [`${entry.topic}/${entry.partition}`, entry]));
        let partial = false;
        if (pending.size > 0) {
          const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
          consumerStarted = true;
          await consumer.connect();
          try {
            await consumer.subscribe({ topics: [...new Set(windows.map((entry) => entry.topic))], fromBeginning: false });
            const done = new Promise<void>((resolve, reject) => {
              consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
              void consumer
                .run({
                  autoCommit: false,
                  eachMessage: ({ topic, partition, message }) => {
                    const entry = pending.get(`${topic}/${partition}`);
                    const offset = BigInt(message.offset);
                    if (entry === undefined || offset < entry.from) return Promise.resolve();
                    const timestampMs = Number(message.timestamp);
                    if (offset < entry.until && timestampMs >= window.fromMs && timestampMs < window.toMs) {
                      records.get(entry.prefix)?.push({ topic, partition, offset: message.offset, timestampMs, value: message.value });
                    }
                    if (offset >= entry.until - 1n) pending.delete(`${topic}/${partition}`);
                    if (pending.size === 0) resolve();
                    return Promise.resolve();
                  },
                })
                .then(() => {
                  for (const entry of windows) consumer.seek({ topic: entry.topic, partition: entry.partition, offset: entry.from.toString() });
                }, reject);
            });
            let timer: NodeJS.Timeout | undefined;
            const timedOut = new Promise<'timeout'>((resolve) => {
              timer = setTimeout(() => resolve('timeout'), timeoutMs);
            });
            partial = (await Promise.race([done.then(() => 'done' as const), timedOut])) === 'timeout';
            clearTimeout(timer);
          } finally {
            await consumer.disconnect();
          }
        }
        return new Map(requests.map((request) => [request.prefix, { topics: topicsOf.get(request.prefix) ?? [], records: records.get(request.prefix) ?? [], partial }]));
      } finally {
        if (consumerStarted) await admin.deleteGroups([groupId]).catch(() => undefined);
        await admin.disconnect();
      }
    },
  };
}
