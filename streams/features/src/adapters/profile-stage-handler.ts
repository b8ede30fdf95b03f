import { offsetsKey, type RecordOps, type StateStore } from '@streamrec/foundation';
import { deadLetterFor, type DeadLetterInput } from '@streamrec/foundation';
import type { PartitionBatchHandler } from '@streamrec/foundation/kafka';
import type { UserChange } from '@streamrec/schemas';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { StreamContext } from '@streamrec/streams-common';
import { featuresProfileStage, featuresProfileTombstone } from '../domain/profile-stage.js';
import { PROFILE_STAGE_FIELD } from '../manifest.js';

export interface ProfileStageDependencies {
  readonly context: StreamContext;
  readonly users: AvroCodec<UserChange>;
  /** Partitions of events.users.v1: the profile lives in its own partition's slot. */
  readonly usersPartitions: number;
  readonly store: StateStore;
}

/** events.users.v1 → user profiles; a tombstone (the user is gone for good) deletes the profile. */
export function createProfileStageHandler(deps: ProfileStageDependencies): PartitionBatchHandler {
  return {
    prepare({ partition, records, readFrom }) {
      const context = { version: deps.context.version, partition };
      const deadLetters: DeadLetterInput[] = [];
      const recordOps: RecordOps[] = [];
      for (const record of records) {
        try {
          if (record.value === null) {
            if (record.key !== null) recordOps.push({ offset: record.offset, ops: featuresProfileTombstone(record.key.toString(), context, deps.usersPartitions) });
            continue;
          }
          recordOps.push({ offset: record.offset, ops: featuresProfileStage(deps.users.decode(record.value), context, deps.usersPartitions) });
        } catch (error) {
          deadLetters.push(deadLetterFor(record, error));
        }
      }
      const lastOffset = records[records.length - 1]?.offset ?? -1n;
      return Promise.resolve({
        deadLetters,
        eventTimesMs: [],
        commit: async () => {
          await deps.store.applyBatch({ offsetsKey: offsetsKey(deps.context.version, partition), field: PROFILE_STAGE_FIELD, lastOffset, readFrom, records: recordOps });
        },
      });
    },
  };
}
