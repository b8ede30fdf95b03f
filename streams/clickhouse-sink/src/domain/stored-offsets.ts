import type { SinkTable } from './sink-tables.js';

/** Reads the highest stored offset per partition of one topic from its table. */
export type StoredOffsetsLoader = (table: SinkTable, topic: string) => Promise<ReadonlyMap<number, bigint>>;

/** Reads which offsets of one partition in `from..to` (inclusive) the table holds. */
export type PresentOffsetsLoader = (table: SinkTable, topic: string, partition: number, from: bigint, to: bigint) => Promise<ReadonlySet<bigint>>;

/**
 * Reads the sink's consumer group's committed offsets (the next record to read) per partition of one
 * topic; a partition without a commit is absent.
 */
export type CommittedOffsetsLoader = (topic: string) => Promise<ReadonlyMap<number, bigint>>;

/** Offset below every real one: the partition has nothing stored yet. */
const NOTHING_STORED = -1n;

interface PartitionView {
  /** The highest offset the table holds (as loaded, then advanced by this process's inserts). */
  max: bigint;
}

/**
 * Offsets that may hold holes below the table's highest offset, so records in this range are checked one
 * by one: an INSERT of this process that failed (one INSERT over rows of several months writes one part per
 * month; some can land and others not), or, at first sight of a partition, the records between the group's
 * committed offset and the highest stored one (a process killed in the middle of an INSERT, or after it and
 * before the Kafka commit).
 */
interface Suspect {
  readonly from: bigint;
  readonly through: bigint;
}

/**
 * The sink's view of what each table already holds, per topic and partition: loaded from ClickHouse at
 * the first sight of a topic (one query for all its partitions), advanced after each insert, forgotten
 * after a failed insert (part of it may have landed) or a rebalance (another instance may have written),
 * so the next batch re-reads the truth. A failed INSERT may have landed in part, leaving holes below the
 * highest offset, so the records of its range are then checked one by one (`fresh`), not skipped by the
 * maximum. So are, at first sight of a partition, the records from the group's committed offset up to the
 * highest stored one: whatever a killed process was inserting when it died. (Elsewhere the maximum
 * decides: a merge of the ReplacingMergeTree tables removes collapsed rows, and refilling those holes
 * would count them again in the daily views. A group without a commit, a new deployment, has no such
 * window: the maximum decides for it too.)
 */
export class StoredOffsets {
  private readonly offsets = new Map<string, PartitionView>();
  private readonly suspects = new Map<string, Suspect>();

  constructor(
    private readonly load: StoredOffsetsLoader,
    private readonly present: PresentOffsetsLoader = () => Promise.resolve(new Set()),
    private readonly committed: CommittedOffsetsLoader = () => Promise.resolve(new Map()),
  ) {}

  /** The highest offset the table holds for the partition. */
  async get(table: SinkTable, topic: string, partition: number): Promise<bigint> {
    return (await this.view(table, topic, partition)).max;
  }

  /**
   * The records the table does not hold yet: those above its highest offset, and, in the range of a
   * failed INSERT, those whose offset the table lacks (one range query).
   */
  async fresh<R extends { readonly offset: bigint }>(table: SinkTable, topic: string, partition: number, records: readonly R[]): Promise<R[]> {
    const { max } = await this.view(table, topic, partition);
    const suspect = this.suspects.get(key(topic, partition));
    const inRange = (record: R): boolean => suspect !== undefined && record.offset >= suspect.from && record.offset <= suspect.through;
    const checked = records.filter(inRange);
    if (checked.length === 0) return recordsAfter(records, max);
    const held = await this.present(table, topic, partition, checked[0]!.offset, checked.at(-1)!.offset);
    return records.filter((record) => (inRange(record) ? !held.has(record.offset) : record.offset > max));
  }

  advance(topic: string, partition: number, offset: bigint): void {
    const current = this.offsets.get(key(topic, partition));
    if (current === undefined) this.offsets.set(key(topic, partition), { max: offset });
    else if (offset > current.max) current.max = offset;
    const suspect = this.suspects.get(key(topic, partition));
    if (suspect !== undefined && offset >= suspect.through) this.suspects.delete(key(topic, partition));
  }

  /** An INSERT with this partition's rows `from..through` failed: part of it may have landed. */
  failed(topic: string, partition: number, from: bigint, through: bigint): void {
    this.forget(topic, partition);
    this.suspect(topic, partition, from, through);
  }

  private suspect(topic: string, partition: number, from: bigint, through: bigint): void {
    const previous = this.suspects.get(key(topic, partition));
    this.suspects.set(key(topic, partition), { from: previous !== undefined && previous.from < from ? previous.from : from, through: previous !== undefined && previous.through > through ? previous.through : through });
  }

  private async view(table: SinkTable, topic: string, partition: number): Promise<PartitionView> {
    const known = this.offsets.get(key(topic, partition));
    if (known !== undefined) return known;
    const [loaded, committed] = await Promise.all([this.load(table, topic), this.committed(topic)]);
    for (const [loadedPartition, offset] of loaded) {
      if (this.offsets.has(key(topic, loadedPartition))) continue;
      this.offsets.set(key(topic, loadedPartition), { max: offset });
      const next = committed.get(loadedPartition);
      if (next !== undefined && next <= offset) this.suspect(topic, loadedPartition, next, offset);
    }
    const offset = loaded.get(partition) ?? NOTHING_STORED;
    const view = this.offsets.get(key(topic, partition)) ?? { max: offset };
    this.offsets.set(key(topic, partition), view);
    return view;
  }

  forget(topic: string, partition: number): void {
    this.offsets.delete(key(topic, partition));
  }

  forgetAll(): void {
    this.offsets.clear();
  }
}

/** The records of a batch not yet in the table: offsets above the stored one. */
export function recordsAfter<R extends { readonly offset: bigint }>(records: readonly R[], stored: bigint): R[] {
  return records.filter((record) => record.offset > stored);
}

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
