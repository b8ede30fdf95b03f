import type { RecordOps } from './state-ops.js';

export interface ApplyBatchInput {
  /** The partition's offsets hash (see keys.ts: offsetsKey). */
  readonly offsetsKey: string;
  /** Which processor and topic the offset belongs to, e.g. `features/events.interactions.v1`. */
  readonly field: string;
  /** Offset of the batch's last record: stored even when the batch produced no ops. */
  readonly lastOffset: bigint;
  readonly records: readonly RecordOps[];
  /**
   * The stored offset the caller read state at (undefined = -1 when the partition was never applied).
   * When given, the apply fails with REC_STATE_OFFSET_MOVED (retriable) if another writer moved it.
   */
  readonly expectedStoredOffset?: bigint | 'none';
  /**
   * Where the consumer read the batch from. When given, a batch read from beyond where the store stands
   * fails with REC_STATE_GAP: the store was rolled back under the running consumer, which must re-read
   * from `details.resumeAt`.
   */
  readonly readFrom?: ReadPosition;
}

/** Where a consumer read a batch from, and where the partition starts when its state holds no offset. */
export interface ReadPosition {
  /** The fetch's offset (kafkajs `batch.fetchedOffset`): with a stored offset N, anything above N + 1 is a gap. */
  readonly offset: bigint;
  /**
   * Where this partition starts without a stored offset (the log start for a stage built from the
   * beginning, the START_AT offset), as decided at assignment; undefined when that start is left to the
   * group. A store holding no offset for the partition (rolled back to before its first apply) refuses a
   * batch read from beyond it, and the consumer re-reads from there.
   */
  readonly freshStart?: bigint;
}

export interface ApplyBatchResult {
  readonly applied: number;
  readonly skipped: number;
  readonly storedOffset: bigint;
}

/** What a processor needs from its state store: atomic batch apply and the stored offset. */
export interface StateStore {
  applyBatch(input: ApplyBatchInput): Promise<ApplyBatchResult>;
  /** The last applied offset, or undefined when the partition was never applied. */
  storedOffset(offsetsKey: string, field: string): Promise<bigint | undefined>;
}
