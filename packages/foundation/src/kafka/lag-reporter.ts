import type { Admin, Consumer } from 'kafkajs';
import type { Logger } from '../process/logger.js';
import type { ProcessorMetrics } from '../metrics/processor-metrics.js';
import type { MemberAssignment } from './assignment-seek.js';
import type { LazyAdmin } from './lazy-admin.js';

/** Records a partition still has to apply: high watermark minus the next offset to apply (never negative). */
export function partitionLag(highWatermark: bigint, nextOffset: bigint | undefined): number {
  if (nextOffset === undefined) return Number(highWatermark);
  return Math.max(0, Number(highWatermark - nextOffset));
}

export interface LagReporterOptions {
  readonly groupId: string;
  readonly intervalMs: number;
  /** The state's last applied offset; without it (stateless relays) the group's committed offset counts. */
  readonly storedOffset?: (topic: string, partition: number) => Promise<bigint | undefined>;
}

/**
 * Refreshes `stream_consumer_lag` of the assigned partitions every `intervalMs`, whether or not batches
 * arrive: a consumer that stopped fetching (stuck in a rebalance, retrying a batch) shows its lag grow
 * instead of the value of its last batch. Partitions that leave the assignment leave the gauge.
 */
export function startLagReporter(admin: LazyAdmin, consumer: Consumer, metrics: ProcessorMetrics, options: LagReporterOptions, log: Logger): { stop(): Promise<void> } {
  let assignment: MemberAssignment = {};
  let running: Promise<void> | undefined;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) if (!(payload.memberAssignment[topic] ?? []).includes(partition)) metrics.lag.remove({ topic, partition: String(partition) });
    }
    assignment = payload.memberAssignment;
  });

  const nextOffsets = async (client: Admin, topic: string, partitions: readonly number[]): Promise<Map<number, bigint | undefined>> => {
    const { storedOffset } = options;
    if (storedOffset !== undefined) {
      const stored = await Promise.all(partitions.map(async (partition) => [partition, await storedOffset(topic, partition)] as const));
      return new Map(stored.map(([partition, offset]) => [partition, offset === undefined ? undefined : offset + 1n]));
    }
    const [committed] = await client.fetchOffsets({ groupId: options.groupId, topics: [topic] });
    return new Map((committed?.partitions ?? []).map(({ partition, offset }) => [partition, offset === '-1' ? undefined : BigInt(offset)]));
  };

  const refresh = async (): Promise<void> => {
    const client = await admin.get();
    for (const [topic, partitions] of Object.entries(assignment)) {
      if (partitions.length === 0) continue;
      const highs = new Map((await client.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, BigInt(high)]));
      const next = await nextOffsets(client, topic, partitions);
      for (const partition of partitions) {
        const high = highs.get(partition);
        if (high !== undefined) metrics.lag.set({ topic, partition: String(partition) }, partitionLag(high, next.get(partition)));
      }
    }
  };
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = refresh()
      .catch((error: unknown) => log.debug({ err: error }, 'lag refresh failed'))
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
