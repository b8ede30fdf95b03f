import type { PartitionBatchHandler } from '@streamrec/foundation/kafka';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { ItemActivityWire, ItemChange } from '@streamrec/schemas';
import type { StreamContext } from '@streamrec/streams-common';
import { createRelayHandler, type ItemActivitySink } from '@streamrec/streams-common/adapters';
import { availabilityRecordFor } from '../domain/item-availability.js';

export interface CatalogueRelayDependencies {
  readonly context: StreamContext;
  readonly items: AvroCodec<ItemChange>;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly sink: ItemActivitySink;
}

/**
 * events.items.v1 → `availability` records on the item-activity topic for items that became unavailable
 * or were deleted. A stateless relay: a re-send carries the same `dedupId`, and removal is idempotent in
 * the item stages. Compaction tombstones carry nothing to relay: the delete change before them did.
 */
export function createCatalogueRelayHandler(deps: CatalogueRelayDependencies): PartitionBatchHandler {
  return createRelayHandler<ItemChange>({
    decode: (value) => deps.items.decode(value),
    recordsFor: (change) => {
      const availability = availabilityRecordFor(change, deps.context);
      return availability === undefined ? [] : [availability];
    },
    eventTimeOf: (change) => change.updated_at,
    activity: deps.activity,
    sink: deps.sink,
  });
}
