import type { Admin } from 'kafkajs';

/** High watermarks (the next offset to be written) of every partition of a topic. */
export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
}

/** Where a replay starts reading each partition: the earliest retained offset, or the first at/after a timestamp. */
export async function startOffsets(admin: Admin, topic: string, timestampMs: number | undefined): Promise<Map<number, bigint>> {
  if (timestampMs === undefined) {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map(({ partition, low }) => [partition, BigInt(low)]));
  }
  const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
  return new Map(offsets.map(({ partition, offset }) => [partition, BigInt(offset)]));
}

/** The last offset a consumer group processed per partition (its commit − 1), undefined without a commit. */
export async function groupProcessedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, bigint | undefined>> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((result?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset) < 0n ? undefined : BigInt(offset) - 1n]));
}
