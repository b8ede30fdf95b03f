import { AppError, ErrorCode, offsetsKey, type DeadLetterInput, type PartitionBatchHandler, type RecordOps, type StateStore } from '@streamrec/shared';
import { deadLetterFor, missingValueReason } from '@streamrec/shared';
import type { AvroCodec, ItemActivityWire } from '@streamrec/schemas';
import type { StreamContext } from '@streamrec/streams-common';
import { featuresItemStage } from '../domain/item-stage.js';
import type { FeaturesParams } from '../domain/features-params.js';
import { itemActivityFromWire } from '@streamrec/streams-common/wire';

export const ITEM_STAGE_FIELD = 'features-item/repartition.item-activity.v1';

export interface ItemStageDependencies {
  readonly context: StreamContext;
  readonly params: FeaturesParams;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly store: StateStore;
}

/** repartition.item-activity.v1 → item features; kinds features does not use yield no ops (offset still stored). */
export function createItemStageHandler(deps: ItemStageDependencies): PartitionBatchHandler {
  return {
    prepare({ partition, records }) {
      const context = { ...deps.context, partition };
      const deadLetters: DeadLetterInput[] = [];
      const recordOps: RecordOps[] = [];
      const eventTimesMs: number[] = [];
      for (const record of records) {
        try {
          if (record.value === null) throw new AppError(ErrorCode.PayloadInvalid, missingValueReason);
          const activity = itemActivityFromWire(deps.activity.decode(record.value));
          if (activity === undefined) continue;
          recordOps.push({ offset: record.offset, ops: featuresItemStage(activity, context, deps.params) });
          eventTimesMs.push(activity.eventTime);
        } catch (error) {
          deadLetters.push(deadLetterFor(record, error));
        }
      }
      const lastOffset = records[records.length - 1]?.offset ?? -1n;
      return Promise.resolve({
        deadLetters,
        eventTimesMs,
        commit: async () => {
          await deps.store.applyBatch({ offsetsKey: offsetsKey(deps.context.version, partition), field: ITEM_STAGE_FIELD, lastOffset, records: recordOps });
        },
      });
    },
  };
}
