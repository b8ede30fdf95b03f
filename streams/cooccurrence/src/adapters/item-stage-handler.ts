import type { PartitionBatchHandler } from '@streamrec/foundation/kafka';
import { ITEM_STAGE_FIELD } from '../manifest.js';
import { ItemActivityKind, type ItemActivityKind as Kind } from '@streamrec/streams-common';
import { createItemActivityHandler, type ItemStageDependencies } from '@streamrec/streams-common/adapters';
import { cooccurrenceItemStage } from '../domain/item-stage.js';
import type { CooccurrenceParams } from '../domain/cooccurrence-params.js';

/** The kinds the item stage turns into state (README: Item stage); exposures are features' business. */
const handledKinds: ReadonlySet<Kind> = new Set([ItemActivityKind.CoItems, ItemActivityKind.Activity, ItemActivityKind.Availability]);

/** repartition.item-activity.v1 → neighbour sets and recent users; other kinds yield no ops (offset still stored). */
export function createItemStageHandler(deps: ItemStageDependencies<CooccurrenceParams>): PartitionBatchHandler {
  return createItemActivityHandler({
    ...deps,
    field: ITEM_STAGE_FIELD,
    kinds: handledKinds,
    opsFor: (activity, context) => (handledKinds.has(activity.kind) ? cooccurrenceItemStage(activity, context, deps.params) : undefined),
  });
}
