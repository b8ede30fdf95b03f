import { deadLetterFor, type DeadLetterInput, type PartitionBatchHandler } from '@streamrec/shared';
import type { AvroCodec, Exposure as ExposureWire, ItemActivityWire } from '@streamrec/schemas';
import type { KeyedItemActivity, StreamContext } from '@streamrec/streams-common';
import { itemActivityToWire } from '@streamrec/streams-common/wire';
import { exposureRecords } from '../domain/exposures.js';
import type { RepartitionSink } from './user-stage-handler.js';

export interface ExposureRelayDependencies {
  readonly context: StreamContext;
  readonly exposures: AvroCodec<ExposureWire>;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly repartition: RepartitionSink;
}

/**
 * serving.exposures.v1 (what the API showed) → one `exposure` record per item shown on the item-activity
 * topic, where the item stage counts it into `item:<i>:ctr` `exposures` (the CTR denominator; clicks with
 * a `request_id` are the numerator). Stateless like trending's catalogue relay: `commit` produces and
 * awaits the acks, then the loop commits the Kafka offsets; a crash in between re-sends the same records
 * (dedup id `exposure:<request>:<position>`), which the item stage's guard drops.
 */
export function createExposureRelayHandler(deps: ExposureRelayDependencies): PartitionBatchHandler {
  return {
    prepare({ records }) {
      const deadLetters: DeadLetterInput[] = [];
      const outgoing: KeyedItemActivity[] = [];
      const eventTimesMs: number[] = [];
      for (const record of records) {
        try {
          if (record.value === null) continue; // nothing to relay
          const exposure = deps.exposures.decode(record.value);
          outgoing.push(...exposureRecords(exposure, deps.context));
          eventTimesMs.push(exposure.event_time);
        } catch (error) {
          deadLetters.push(deadLetterFor(record, error));
        }
      }
      return Promise.resolve({
        deadLetters,
        eventTimesMs,
        commit: async () => {
          if (outgoing.length === 0) return;
          await deps.repartition.send(outgoing.map((keyed) => ({ key: keyed.key, value: deps.activity.encode(itemActivityToWire(keyed.value)) })));
        },
      });
    },
  };
}
