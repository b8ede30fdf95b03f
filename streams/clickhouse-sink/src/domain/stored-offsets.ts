import type { SinkTable } from './sink-tables.js';

/** Reads the highest stored offset per partition of one topic from its table. */
export type StoredOffsetsLoader = (table: SinkTable, topic: string) => Promise<ReadonlyMap<number, bigint>>;

/** Offset below every real one: the partition has nothing stored yet. */
const NOTHING_STORED = -1n;

/**
 * The sink's view of what each table already holds, per topic and partition: loaded from ClickHouse at
 * the first sight of a topic (one query for all its partitions), advanced after each insert, forgotten
 * after a failed insert (it may have landed) or a rebalance (another instance may have written), so the
 * next batch re-reads the truth.
 */
export class StoredOffsets {
  private readonly offsets = new Map<string, bigint>();

  constructor(private readonly load: StoredOffsetsLoader) {}

  async get(table: SinkTable, topic: string, partition: number): Promise<bigint> {
    const known = this.offsets.get(key(topic, partition));
    if (known !== undefined) return known;
    const loaded = await this.load(table, topic);
    for (const [loadedPartition, offset] of loaded) {
      if (!this.offsets.has(key(topic, loadedPartition))) this.offsets.set(key(topic, loadedPartition), offset);
    }
    const offset = loaded.get(partition) ?? NOTHING_STORED;
    this.offsets.set(key(topic, partition), offset);
    return offset;
  }

  advance(topic: string, partition: number, offset: bigint): void {
    const current = this.offsets.get(key(topic, partition));
    if (current === undefined || offset > current) this.offsets.set(key(topic, partition), offset);
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
