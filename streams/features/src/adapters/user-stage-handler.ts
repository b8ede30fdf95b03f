import { AppError, ErrorCode, offsetsKey, type DeadLetterInput, type RecordOps, type StateStore } from '@streamrec/foundation';
import { type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import { deadLetterFor, missingValueReason } from '@streamrec/foundation';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { Interaction, ItemActivityWire } from '@streamrec/schemas';
import { itemIdOf, type ItemId, type ItemInfoLookup, type StreamContext } from '@streamrec/streams-common';
import { featuresUserStage } from '../domain/user-stage.js';
import { USER_STAGE_FIELD } from '../manifest.js';
import type { FeaturesParams } from '../domain/features-params.js';
import { itemActivityToWire } from '@streamrec/streams-common/wire';
import type { ItemActivitySink } from '@streamrec/streams-common/adapters';



export interface UserStageDependencies {
  readonly context: StreamContext;
  readonly params: FeaturesParams;
  readonly interactions: AvroCodec<Interaction>;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly itemInfo: ItemInfoLookup;
  /** Awaited before the join when the batch names items the catalogue does not know (catalogue-barrier.ts). */
  readonly awaitCatalogue?: (items: readonly ItemId[], asOfMs: number) => Promise<void>;
  readonly repartition: ItemActivitySink;
  readonly store: StateStore;
}

/**
 * events.interactions.v1 → user features. prepare decodes, runs the pure stage, produces the
 * repartition records and waits for their acks (a crash after that repeats them, the item stage's
 * guard drops the repeats); commit applies the user ops with the partition's stored offset.
 */
export function createUserStageHandler(deps: UserStageDependencies): PartitionBatchHandler {
  return {
    async prepare({ partition, records, readFrom }) {
      const context = { ...deps.context, partition };
      const deadLetters: DeadLetterInput[] = [];
      const recordOps: RecordOps[] = [];
      const messages: { key: string; value: Buffer }[] = [];
      const eventTimesMs: number[] = [];
      const decoded: { record: (typeof records)[number]; interaction: Interaction }[] = [];
      for (const record of records) {
        try {
          if (record.value === null) throw new AppError(ErrorCode.PayloadInvalid, missingValueReason);
          decoded.push({ record, interaction: deps.interactions.decode(record.value) });
        } catch (error) {
          deadLetters.push(deadLetterFor(record, error));
        }
      }
      const last = decoded[decoded.length - 1];
      if (deps.awaitCatalogue !== undefined && last !== undefined) {
        // An invalid item id is the stage's to dead-letter below, not the barrier's to throw on.
        const items = decoded.flatMap(({ interaction }) => (Number.isSafeInteger(interaction.item_id) && interaction.item_id >= 0 ? [itemIdOf(interaction.item_id)] : []));
        await deps.awaitCatalogue(items, last.interaction.event_time);
      }
      for (const { record, interaction } of decoded) {
        try {
          const result = featuresUserStage(interaction, context, deps.params, deps.itemInfo);
          for (const keyed of result.repartition) messages.push({ key: keyed.key, value: deps.activity.encodeBuilt(itemActivityToWire(keyed.value)) });
          recordOps.push({ offset: record.offset, ops: result.ops });
          eventTimesMs.push(interaction.event_time);
        } catch (error) {
          deadLetters.push(deadLetterFor(record, error));
        }
      }
      if (messages.length > 0) await deps.repartition.send(messages);
      const lastOffset = records[records.length - 1]?.offset ?? -1n;
      return {
        deadLetters,
        eventTimesMs,
        commit: async () => {
          await deps.store.applyBatch({ offsetsKey: offsetsKey(deps.context.version, partition), field: USER_STAGE_FIELD, lastOffset, readFrom, records: recordOps });
        },
      };
    },
  };
}
