import { AppError, ErrorCode, offsetsKey, type DeadLetterInput, type StateStore } from '@streamrec/foundation';
import { type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import { deadLetterFor, missingValueReason } from '@streamrec/foundation';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { ItemActivityWire } from '@streamrec/schemas';
import { ItemActivityKind, assertOwned, itemPartition, type PartitionContext, type StreamContext } from '@streamrec/streams-common';
import { isUnusedKind, itemActivityFromWire } from '@streamrec/streams-common/wire';
import { parseTrendingClock, trendingClockFields, trendingItemBatch, type OffsetItemActivity } from '../domain/item-stage.js';
import type { TrendingParams } from '../domain/trending-params.js';
import { ITEM_STAGE_FIELD } from '../manifest.js';

/** The kinds trending folds; others (an answer's exposures, co-items) are skipped before decoding. */
const handledKinds: ReadonlySet<ItemActivityKind> = new Set([ItemActivityKind.Activity, ItemActivityKind.Availability]);

/** What the stage reads before it folds a batch: the stored offset and the clock fields, in one round trip. */
export interface TrendingStateSnapshot {
  readonly storedOffset: bigint | undefined;
  /** HMGET replies in the order of the requested fields. */
  readonly clock: readonly (string | null)[];
}

export interface TrendingStateReader {
  read(context: PartitionContext, field: string, clockFields: readonly string[]): Promise<TrendingStateSnapshot>;
}

export interface ItemStageDependencies {
  readonly context: StreamContext;
  readonly params: TrendingParams;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly reader: TrendingStateReader;
  readonly store: StateStore;
}

/**
 * repartition.item-activity.v1 → hot-list buckets (read-then-apply, README: Expiry by event time).
 * Kinds trending does not use yield no ops and are not decoded; their offsets are still stored. The apply is fenced on the
 * stored offset the clock was read at (`expectedStoredOffset`).
 */
export function createItemStageHandler(deps: ItemStageDependencies): PartitionBatchHandler {
  return {
    async prepare({ partition, records, readFrom }) {
      const context: PartitionContext = { ...deps.context, partition };
      const deadLetters: DeadLetterInput[] = [];
      const decoded: OffsetItemActivity[] = [];
      for (const record of records) {
        try {
          if (record.value === null) throw new AppError(ErrorCode.PayloadInvalid, missingValueReason);
          if (isUnusedKind(deps.activity, record.value, handledKinds)) continue;
          const activity = itemActivityFromWire(deps.activity.decode(record.value));
          if (activity === undefined) continue;
          if (!handledKinds.has(activity.kind)) continue;
          // Checked here, per record, so a wrong-owner record is dead-lettered instead of failing the fold.
          assertOwned(context, itemPartition(context, activity.item), `item ${activity.item}`);
          decoded.push({ offset: record.offset, record: activity });
        } catch (error) {
          deadLetters.push(deadLetterFor(record, error));
        }
      }
      const fields = trendingClockFields(decoded);
      const snapshot = await deps.reader.read(context, ITEM_STAGE_FIELD, fields);
      const stored = snapshot.storedOffset ?? -1n;
      // Records Redis already has (a re-read after a crash) are neither folded nor dead-lettered again.
      const fresh = decoded.filter((entry) => entry.offset > stored);
      const recordOps = trendingItemBatch(fresh, parseTrendingClock(fields, snapshot.clock), context, deps.params);
      const lastOffset = records[records.length - 1]?.offset ?? -1n;
      return {
        deadLetters: deadLetters.filter((letter) => letter.offset > stored),
        eventTimesMs: fresh.map((entry) => entry.record.eventTime),
        commit: async () => {
          await deps.store.applyBatch({
            offsetsKey: offsetsKey(deps.context.version, partition),
            field: ITEM_STAGE_FIELD,
            lastOffset, readFrom,
            records: recordOps,
            expectedStoredOffset: snapshot.storedOffset ?? 'none',
          });
        },
      };
    },
  };
}
