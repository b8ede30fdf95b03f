/**
 * Where each newly assigned partition starts. The offset stored with the state decides (Kafka commits
 * are advisory): a partition with a stored offset N resumes at N+1; one without starts at the offset of
 * `startAtTimestampMs` when set; otherwise the group's committed / earliest / latest rule applies.
 */
export type PartitionStart =
  | { readonly topic: string; readonly partition: number; readonly from: 'stored'; readonly offset: bigint }
  | { readonly topic: string; readonly partition: number; readonly from: 'timestamp'; readonly offset: bigint }
  | { readonly topic: string; readonly partition: number; readonly from: 'group' };

/** The kafkajs GROUP_JOIN `memberAssignment`: topic → assigned partitions. */
export type MemberAssignment = Readonly<Record<string, readonly number[]>>;

export interface StartLookups {
  /** The offset last applied to the state store, undefined when the partition was never applied. */
  readonly storedOffset?: (topic: string, partition: number) => Promise<bigint | undefined>;
  /** The first offset at or after the timestamp (the end offset when there is none), per partition. */
  readonly offsetsAtTimestamp?: (topic: string, timestampMs: number) => Promise<ReadonlyMap<number, bigint>>;
  readonly startAtTimestampMs?: number;
}

/** Pure: the start of one partition from what the lookups found. */
export function partitionStart(topic: string, partition: number, stored: bigint | undefined, atTimestamp: bigint | undefined): PartitionStart {
  if (stored !== undefined) return { topic, partition, from: 'stored', offset: stored + 1n };
  if (atTimestamp !== undefined) return { topic, partition, from: 'timestamp', offset: atTimestamp };
  return { topic, partition, from: 'group' };
}

/** Resolves the start of every assigned partition (one timestamp lookup per topic, only when needed). */
export async function resolvePartitionStarts(assignment: MemberAssignment, lookups: StartLookups): Promise<PartitionStart[]> {
  const starts: PartitionStart[] = [];
  for (const [topic, partitions] of Object.entries(assignment)) {
    const stored = await Promise.all(partitions.map(async (partition) => lookups.storedOffset?.(topic, partition)));
    const { startAtTimestampMs, offsetsAtTimestamp } = lookups;
    const needsTimestamp = startAtTimestampMs !== undefined && offsetsAtTimestamp !== undefined && stored.some((value) => value === undefined);
    const byTimestamp = needsTimestamp ? await offsetsAtTimestamp(topic, startAtTimestampMs) : new Map<number, bigint>();
    partitions.forEach((partition, index) => starts.push(partitionStart(topic, partition, stored[index], byTimestamp.get(partition))));
  }
  return starts;
}

/** `topic/partition`, the key of the loop's per-partition start floors. */
export const partitionId = (topic: string, partition: number): string => `${topic}/${partition}`;
