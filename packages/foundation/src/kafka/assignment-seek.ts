/**
 * Where each newly assigned partition starts. The offset stored with the state decides (Kafka commits
 * are advisory): a partition with a stored offset N resumes at N+1; one without starts at the offset of
 * `startAtTimestampMs` when set; else, for a stage with state that starts from the beginning, at the
 * partition's first offset (a group commit without state behind it — state lost or a new version under
 * an old group — would otherwise skip records silently); otherwise the group's committed / latest rule,
 * with "latest" pinned to the log end found at the partition's first assignment (`pinLatestStarts`).
 */
export type PartitionStart =
  | { readonly topic: string; readonly partition: number; readonly from: 'stored'; readonly offset: bigint }
  | { readonly topic: string; readonly partition: number; readonly from: 'timestamp'; readonly offset: bigint }
  | { readonly topic: string; readonly partition: number; readonly from: 'earliest'; readonly offset: bigint }
  | { readonly topic: string; readonly partition: number; readonly from: 'latest'; readonly offset: bigint }
  | { readonly topic: string; readonly partition: number; readonly from: 'group' };

/** The kafkajs GROUP_JOIN `memberAssignment`: topic → assigned partitions. */
export type MemberAssignment = Readonly<Record<string, readonly number[]>>;

export interface StartLookups {
  /** The offset last applied to the state store, undefined when the partition was never applied. */
  readonly storedOffset?: (topic: string, partition: number) => Promise<bigint | undefined>;
  /** The first offset at or after the timestamp (the end offset when there is none), per partition. */
  readonly offsetsAtTimestamp?: (topic: string, timestampMs: number) => Promise<ReadonlyMap<number, bigint>>;
  readonly startAtTimestampMs?: number;
  /** The first offset of each partition (low watermark); asked only for stages with state that start from the beginning. */
  readonly earliestOffsets?: (topic: string) => Promise<ReadonlyMap<number, bigint>>;
  readonly fromBeginning?: boolean;
}

/** Pure: the start of one partition from what the lookups found. */
export function partitionStart(topic: string, partition: number, stored: bigint | undefined, atTimestamp: bigint | undefined, earliest?: bigint): PartitionStart {
  if (stored !== undefined) return { topic, partition, from: 'stored', offset: stored + 1n };
  if (atTimestamp !== undefined) return { topic, partition, from: 'timestamp', offset: atTimestamp };
  if (earliest !== undefined) return { topic, partition, from: 'earliest', offset: earliest };
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
    const { earliestOffsets } = lookups;
    const needsEarliest =
      lookups.storedOffset !== undefined && lookups.fromBeginning === true && earliestOffsets !== undefined && partitions.some((partition, index) => stored[index] === undefined && !byTimestamp.has(partition));
    const earliest = needsEarliest ? await earliestOffsets(topic) : new Map<number, bigint>();
    partitions.forEach((partition, index) => starts.push(partitionStart(topic, partition, stored[index], byTimestamp.get(partition), earliest.get(partition))));
  }
  return starts;
}

/** `topic/partition`, the key of the loop's per-partition start floors. */
export const partitionId = (topic: string, partition: number): string => `${topic}/${partition}`;

/** What `pinLatestStarts` needs to know about the partitions left to the group. */
export interface GroupStartFacts {
  /** Partitions (`partitionId`) the group has committed an offset for: kafkajs resumes there, which is stable. */
  readonly committed: ReadonlySet<string>;
  /** Log ends (high watermarks) fetched at this assignment, for partitions not yet pinned. */
  readonly logEnds: ReadonlyMap<string, bigint>;
}

/** Pure: the partitions left to the group (`from: 'group'`), the ones `pinLatestStarts` must ask about. */
export function groupStarts(starts: readonly PartitionStart[]): PartitionStart[] {
  return starts.filter((start) => start.from === 'group');
}

/**
 * Pure: a partition left to the group with nothing committed starts at "latest", which kafkajs resolves
 * anew at every join. After a broker restart the consumer rejoins while the producers (Debezium first)
 * write what they held back, so a second "latest" would skip those records for good. Such a partition
 * starts instead at the log end of its first assignment in this process, kept in `pinned` (updated here)
 * until it has a stored offset or a commit. Only for groups that do not start from the beginning (the
 * earliest rule is stable).
 */
export function pinLatestStarts(starts: readonly PartitionStart[], pinned: Map<string, bigint>, facts: GroupStartFacts): PartitionStart[] {
  return starts.map((start) => {
    if (start.from !== 'group') return start;
    const id = partitionId(start.topic, start.partition);
    if (facts.committed.has(id)) {
      pinned.delete(id);
      return start;
    }
    const offset = pinned.get(id) ?? facts.logEnds.get(id);
    if (offset === undefined) return start;
    pinned.set(id, offset);
    return { topic: start.topic, partition: start.partition, from: 'latest', offset };
  });
}

/** A partition's log as the broker has it: its first offset and the offset after its last record. */
export interface PartitionLog {
  readonly low: bigint;
  readonly high: bigint;
}

/**
 * Why a partition cannot resume where its state stands:
 * - `truncated`: the state has applied records the log no longer has (stored offset ≥ the log end: a broker
 *   lost acknowledged records, or the topic was deleted and recreated), so new records would reuse
 *   offsets the state believes applied;
 * - `deleted`: records the state has not applied are gone (the next offset is below the log start:
 *   retention or deleteRecords ran past it), so resuming would skip them. A state built from the
 *   beginning (no stored offset) of a partition whose log no longer starts at 0 is the same case: it
 *   would miss offsets 0 .. start − 1. A start at a timestamp (START_AT, replay --from-timestamp) is
 *   the operator's explicit choice of a partial history and is not checked.
 * Either way the state is no longer a function of the log: rebuild it (docs/OPERATIONS.md).
 */
export interface LogMismatch {
  readonly topic: string;
  readonly partition: number;
  readonly kind: 'truncated' | 'deleted';
  readonly message: string;
}

/** Pure: checks a start decided from the stored offset, or a build from the beginning, against the partition's log. */
export function checkStartAgainstLog(start: PartitionStart, log: PartitionLog | undefined): LogMismatch | undefined {
  if (start.from === 'earliest') {
    // The earliest start is the log start itself (fetched for the seek): anything above 0 was deleted.
    const { topic, partition, offset: first } = start;
    if (first === 0n) return undefined;
    const message = `${topic}/${partition}: a new state would start at offset ${first}, the log's first; offsets 0..${first - 1n} were deleted (retention), so it would miss them; build it from the CDC topics, or start it at a timestamp (START_AT) to accept a partial history`;
    return { topic, partition, kind: 'deleted', message };
  }
  if (start.from !== 'stored' || log === undefined) return undefined;
  const { topic, partition, offset: next } = start;
  const where = `${topic}/${partition}`;
  if (next > log.high) {
    return { topic, partition, kind: 'truncated', message: `${where}: the state has applied up to offset ${next - 1n}, but the log ends at ${log.high - 1n} (records lost by the broker, or the topic recreated)` };
  }
  if (next < log.low) {
    return { topic, partition, kind: 'deleted', message: `${where}: the state needs offset ${next} next, but the log starts at ${log.low} (deleted by retention before they were applied)` };
  }
  return undefined;
}
