import { AppError, ErrorCode, offsetsKey, type DeadLetterInput, type PartitionBatchHandler, type RecordOps, type StateStore } from '@streamrec/shared';
import { deadLetterFor, missingValueReason } from '@streamrec/shared';
import type { AvroCodec, ItemActivityWire } from '@streamrec/schemas';
import { ItemActivityKind, type ItemActivityKind as Kind, type StreamContext } from '@streamrec/streams-common';
import { itemActivityFromWire } from '@streamrec/streams-common/wire';
import { cooccurrenceItemStage } from '../domain/item-stage.js';
import type { CooccurrenceParams } from '../domain/cooccurrence-params.js';

export const ITEM_STAGE_FIELD = 'cooccurrence/repartition.item-activity.v1';

/** The kinds the item stage turns into state (README: Item stage); exposures are features' business. */
const handledKinds: ReadonlySet<Kind> = new Set([ItemActivityKind.CoItems, ItemActivityKind.Activity, ItemActivityKind.Availability]);

export interface ItemStageDependencies {
  readonly context: StreamContext;
  readonly params: CooccurrenceParams;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly store: StateStore;
}

/** repartition.item-activity.v1 → neighbour sets and recent users; other kinds yield no ops (offset still stored). */
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
          if (activity === undefined || !handledKinds.has(activity.kind)) continue;
          recordOps.push({ offset: record.offset, ops: cooccurrenceItemStage(activity, context, deps.params) });
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
