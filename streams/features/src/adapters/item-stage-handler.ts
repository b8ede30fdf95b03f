import type { PartitionBatchHandler } from '@streamrec/foundation/kafka';
import { ITEM_STAGE_FIELD } from '../manifest.js';
import type { StateStore } from '@streamrec/foundation';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { ItemActivityWire } from '@streamrec/schemas';
import type { StreamContext } from '@streamrec/streams-common';
import { createItemActivityHandler } from '@streamrec/streams-common/adapters';
import { featuresItemStage } from '../domain/item-stage.js';
import type { FeaturesParams } from '../domain/features-params.js';


export interface ItemStageDependencies {
  readonly context: StreamContext;
  readonly params: FeaturesParams;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly store: StateStore;
}

/** repartition.item-activity.v1 → item features; kinds features does not use yield no ops (offset still stored). */
export function createItemStageHandler(deps: ItemStageDependencies): PartitionBatchHandler {
  return createItemActivityHandler({
    ...deps,
    field: ITEM_STAGE_FIELD,
    opsFor: (activity, context) => featuresItemStage(activity, context, deps.params),
  });
}
