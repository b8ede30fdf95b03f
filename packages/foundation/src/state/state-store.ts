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
   * The offset the consumer read the batch from (kafkajs `batch.fetchedOffset`). When given and the
   * partition has a stored offset, a batch read from beyond stored + 1 fails with REC_STATE_GAP: the
   * store was rolled back under the running consumer, which must re-read from `details.resumeAt`.
   */
  readonly readFrom?: bigint;
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
