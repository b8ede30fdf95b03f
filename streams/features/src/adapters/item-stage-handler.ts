import type { PartitionBatchHandler } from '@streamrec/foundation/kafka';
import { ITEM_STAGE_FIELD } from '../manifest.js';
import { ItemActivityKind, type ItemActivityKind as Kind } from '@streamrec/streams-common';
import { createItemActivityHandler, type ItemStageDependencies } from '@streamrec/streams-common/adapters';
import { featuresItemStage } from '../domain/item-stage.js';
import type { FeaturesParams } from '../domain/features-params.js';

/** The kinds the item stage turns into state (co-item records are the other processors' business). */
const handledKinds: ReadonlySet<Kind> = new Set([ItemActivityKind.Activity, ItemActivityKind.Exposure, ItemActivityKind.Availability]);

/** repartition.item-activity.v1 → item features; kinds features does not use yield no ops (offset still stored). */
export function createItemStageHandler(deps: ItemStageDependencies<FeaturesParams>): PartitionBatchHandler {
  return createItemActivityHandler({
    ...deps,
    field: ITEM_STAGE_FIELD,
    kinds: handledKinds,
    opsFor: (activity, context) => featuresItemStage(activity, context, deps.params),
  });
}
