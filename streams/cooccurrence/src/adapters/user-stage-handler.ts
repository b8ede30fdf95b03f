import { AppError, ErrorCode, isAppError, offsetsKey, type DeadLetterInput, type StateStore } from '@streamrec/foundation';
import { type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import { deadLetterFor, missingValueReason } from '@streamrec/foundation';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { Interaction, ItemActivityWire } from '@streamrec/schemas';
import type { PartitionContext, StreamContext } from '@streamrec/streams-common';
import { itemActivityToWire } from '@streamrec/streams-common/wire';
import { cooccurrenceUserBatch, cooccurrenceUserReads, type CooccurrenceUserRecord, type CooccurrenceUserSnapshot, type OffsetInteraction } from '../domain/user-stage.js';
import type { CooccurrenceParams } from '../domain/cooccurrence-params.js';
import type { UserStageReads } from './redis-user-reads.js';
import type { ItemActivitySink } from '@streamrec/streams-common/adapters';
import { USER_STAGE_FIELD } from '../manifest.js';
import { pairEmissionPlan } from '../domain/pair-emission.js';
import { aggregatePairIncrements } from '../domain/pair-increments.js';
import type { PairOutput } from './pair-output.js';

export interface UserStageDependencies {
  readonly context: StreamContext;
  readonly params: CooccurrenceParams;
  readonly interactions: AvroCodec<Interaction>;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly reads: UserStageReads;
  readonly repartition: ItemActivitySink;
  readonly store: StateStore;
  /** Where the pair increments are committed; absent when the config switches them off (`topics.pairs` null). */
  readonly pairs?: Pick<PairOutput, 'progress' | 'emit' | 'skipped'> | undefined;
}

/**
 * events.interactions.v1 → co-item repartition records, the daily pair increments and the users' windows
 * (README: User stage). prepare decodes, reads the stored offset and the domain's reads in one round trip,
 * folds the records after that offset through the batch function, produces the repartition records and
 * waits for their acks, then commits the batch's pair increments in one Kafka transaction with their
 * progress (those of records the output has not got yet: pair-emission.ts); commit applies the ops fenced
 * on the offset read, so a concurrent writer makes it fail (REC_STATE_OFFSET_MOVED, retriable) and the
 * loop re-runs prepare on fresh state. Both outputs leave before the apply: a crash in between repeats
 * the repartition records (the item stages' guards drop them) and finds the pairs' progress past them.
 */
export function createUserStageHandler(deps: UserStageDependencies): PartitionBatchHandler {
  return {
    async prepare({ partition, records, readFrom }) {
      const context: PartitionContext = { ...deps.context, partition };
      const offsets = { key: offsetsKey(deps.context.version, partition), field: USER_STAGE_FIELD };
      const decoded: OffsetInteraction[] = [];
      const undecodable: DeadLetterInput[] = [];
      for (const record of records) {
        try {
          if (record.value === null) throw new AppError(ErrorCode.PayloadInvalid, missingValueReason);
          decoded.push({ offset: record.offset, interaction: deps.interactions.decode(record.value) });
        } catch (error) {
          undecodable.push(deadLetterFor(record, error));
        }
      }
      const { storedOffset, snapshot } = await deps.reads.read(offsets, cooccurrenceUserReads(decoded, context, deps.params));
      const after = (offset: bigint): boolean => storedOffset === undefined || offset > storedOffset;
      const { results, rejected } = foldBatch(decoded.filter(({ offset }) => after(offset)), snapshot, context, deps.params);

      const deadLetters = [...undecodable, ...rejected.map(({ input, error }) => deadLetterFor(recordOf(records, input.offset), error))].filter(({ offset }) =>
        after(offset),
      );
      const messages = results.flatMap((result) => result.repartition.map((keyed) => ({ key: keyed.key, value: deps.activity.encodeBuilt(itemActivityToWire(keyed.value)) })));
      if (messages.length > 0) await deps.repartition.send(messages);
      const lastOffset = records[records.length - 1]?.offset ?? -1n;
      const firstOffset = records.find(({ offset }) => after(offset))?.offset;
      if (deps.pairs !== undefined && firstOffset !== undefined) {
        const plan = pairEmissionPlan({ firstOffset, lastOffset, ...(await deps.pairs.progress(partition)) });
        if (plan.emit) await deps.pairs.emit(partition, aggregatePairIncrements(results.filter(({ offset }) => offset >= plan.from).flatMap(({ pairs }) => pairs)), plan.next);
        else deps.pairs.skipped(partition, plan.reason);
      }
      const eventTimes = new Map(decoded.map(({ offset, interaction }) => [offset, interaction.event_time]));
      return {
        deadLetters,
        eventTimesMs: results.map(({ offset }) => eventTimes.get(offset) ?? 0),
        commit: async () => {
          if (!after(lastOffset)) return;
          await deps.store.applyBatch({
            offsetsKey: offsets.key,
            field: offsets.field,
            lastOffset, readFrom,
            records: results.map(({ offset, ops }) => ({ offset, ops })),
            expectedStoredOffset: storedOffset ?? 'none',
          });
        },
      };
    },
  };
}

interface FoldedBatch {
  readonly results: CooccurrenceUserRecord[];
  readonly rejected: { input: OffsetInteraction; error: unknown }[];
}

/**
 * The batch function over the records; a record it refuses (not owned, event time ahead) is set aside
 * for a dead letter and the rest folded without it, which is what a one-record-at-a-time pass gives
 * (a refused record changes neither window nor seen-sets). Only on that rare path is it quadratic.
 */
export function foldBatch(batch: readonly OffsetInteraction[], snapshot: CooccurrenceUserSnapshot, context: PartitionContext, params: CooccurrenceParams): FoldedBatch {
  try {
    return { results: cooccurrenceUserBatch(batch, snapshot, context, params), rejected: [] };
  } catch (error) {
    if (!isAppError(error) || error.retriable) throw error;
  }
  const accepted: OffsetInteraction[] = [];
  const rejected: { input: OffsetInteraction; error: unknown }[] = [];
  for (const input of batch) {
    try {
      cooccurrenceUserBatch([...accepted, input], snapshot, context, params);
      accepted.push(input);
    } catch (error) {
      if (!isAppError(error) || error.retriable) throw error;
      rejected.push({ input, error });
    }
  }
  return { results: cooccurrenceUserBatch(accepted, snapshot, context, params), rejected };
}

function recordOf<T extends { readonly offset: bigint }>(records: readonly T[], offset: bigint): T {
  const record = records.find((candidate) => candidate.offset === offset);
  if (record === undefined) throw new AppError(ErrorCode.InvalidArgument, `offset ${offset} is not in the batch`);
  return record;
}
