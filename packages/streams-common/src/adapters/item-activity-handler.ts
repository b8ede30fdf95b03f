import { AppError, ErrorCode, deadLetterFor, missingValueReason, offsetsKey, type DeadLetterInput, type RecordOps, type StateOp, type StateStore } from '@streamrec/foundation';
import { type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { ItemActivityWire } from '@streamrec/schemas';
import type { ItemActivityKind, ItemActivityRecord } from '../domain/item-activity.js';
import type { PartitionContext, StreamContext } from '../domain/stream-context.js';
import { isUnusedKind, itemActivityFromWire } from '../wire/item-activity-wire.js';

export interface ItemActivityHandlerDependencies {
  readonly context: StreamContext;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly store: StateStore;
  /** The offsets field of the stage, `<processor>-item/repartition.item-activity.v1`. */
  readonly field: string;
  /** The kinds the stage uses: a record of another kind is skipped before decoding (offset still stored). */
  readonly kinds: ReadonlySet<ItemActivityKind>;
  /** The stage's pure domain: the ops of one record, or undefined for a kind the stage does not use. */
  readonly opsFor: (activity: ItemActivityRecord, context: PartitionContext) => readonly StateOp[] | undefined;
}

/** What an item stage's handler factory takes: the processor's params plus the shared parts. */
export interface ItemStageDependencies<Params> {
  readonly context: StreamContext;
  readonly params: Params;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly store: StateStore;
}

/**
 * The handler of an item stage that needs no state read: decode each repartition record, map it to
 * ops, dead-letter what cannot be used, apply the batch with its offset. Kinds the stage ignores (and
 * unknown future kinds) yield no ops, but their offsets are still stored; they are recognised from the
 * bytes and never decoded (an answer's exposures are most of the topic, and only features counts them).
 * A broken record of an ignored kind is therefore left to the stages that use its kind to dead-letter.
 */
export function createItemActivityHandler(deps: ItemActivityHandlerDependencies): PartitionBatchHandler {
  return {
    prepare({ partition, records, readFrom }) {
      const context = { ...deps.context, partition };
      const deadLetters: DeadLetterInput[] = [];
      const recordOps: RecordOps[] = [];
      const eventTimesMs: number[] = [];
      for (const record of records) {
        try {
          if (record.value === null) throw new AppError(ErrorCode.PayloadInvalid, missingValueReason);
          if (isUnusedKind(deps.activity, record.value, deps.kinds)) continue;
          const activity = itemActivityFromWire(deps.activity.decode(record.value));
          if (activity === undefined) continue;
          const ops = deps.opsFor(activity, context);
          if (ops === undefined) continue;
          recordOps.push({ offset: record.offset, ops });
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
          await deps.store.applyBatch({ offsetsKey: offsetsKey(deps.context.version, partition), field: deps.field, lastOffset, readFrom, records: recordOps });
        },
      });
    },
  };
}
