import type { DeadLetterInput, PartitionBatchHandler } from '@streamrec/shared';
import { deadLetterFor } from '@streamrec/shared';
import type { AvroCodec, ItemChange } from '@streamrec/schemas';
import type { KeyedItemActivity, StreamContext } from '@streamrec/streams-common';
import { availabilityRecordFor } from '../domain/item-availability.js';

/** Where availability records go: produced and acknowledged by every in-sync replica before it resolves. */
export interface AvailabilitySink {
  send(records: readonly KeyedItemActivity[]): Promise<void>;
}

export interface CatalogueRelayDependencies {
  readonly context: StreamContext;
  readonly items: AvroCodec<ItemChange>;
  readonly sink: AvailabilitySink;
}

/**
 * events.items.v1 → `availability` records on repartition.item-activity.v1 for items that became
 * unavailable or were deleted. The relay writes no Redis state: its `commit` produces and awaits the
 * acks, and the batch loop then commits the Kafka offsets. A crash in between re-sends the same
 * records (same `dedupId`), which is fine: removal is idempotent in the item stage.
 * Compaction tombstones (null value) carry nothing to relay: the delete change before them did.
 */
export function createCatalogueRelayHandler(deps: CatalogueRelayDependencies): PartitionBatchHandler {
  return {
    prepare({ records }) {
      const deadLetters: DeadLetterInput[] = [];
      const outgoing: KeyedItemActivity[] = [];
      const eventTimesMs: number[] = [];
      for (const record of records) {
        if (record.value === null) continue;
        try {
          const change = deps.items.decode(record.value);
          const availability = availabilityRecordFor(change, deps.context);
          if (availability !== undefined) outgoing.push(availability);
          eventTimesMs.push(change.updated_at);
        } catch (error) {
          deadLetters.push(deadLetterFor(record, error));
        }
      }
      return Promise.resolve({
        deadLetters,
        eventTimesMs,
        commit: async () => {
          if (outgoing.length > 0) await deps.sink.send(outgoing);
        },
      });
    },
  };
}
