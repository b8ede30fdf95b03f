import type { PartitionBatchHandler } from '@streamrec/foundation/kafka';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { Exposure as ExposureWire, ItemActivityWire } from '@streamrec/schemas';
import type { StreamContext } from '@streamrec/streams-common';
import { createRelayHandler, type ItemActivitySink } from '@streamrec/streams-common/adapters';
import { exposureRecords } from '../domain/exposures.js';

export interface ExposureRelayDependencies {
  readonly context: StreamContext;
  readonly exposures: AvroCodec<ExposureWire>;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly repartition: ItemActivitySink;
}

/**
 * serving.exposures.v1 (what the API showed) → one `exposure` record per item shown on the item-activity
 * topic, where the item stage counts it into `item:<i>:ctr` `exposures` (the CTR denominator; clicks with
 * a `request_id` are the numerator). A stateless relay: a re-send carries the same dedup id
 * `exposure:<request>:<position>`, which the item stage's guard drops.
 */
export function createExposureRelayHandler(deps: ExposureRelayDependencies): PartitionBatchHandler {
  return createRelayHandler<ExposureWire>({
    decode: (value) => deps.exposures.decode(value),
    recordsFor: (exposure) => exposureRecords(exposure, deps.context),
    eventTimeOf: (exposure) => exposure.event_time,
    activity: deps.activity,
    sink: deps.repartition,
  });
}
