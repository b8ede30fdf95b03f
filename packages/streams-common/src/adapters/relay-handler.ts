import { deadLetterFor, type DeadLetterInput } from '@streamrec/foundation';
import { type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import type { ItemActivityWire } from '@streamrec/schemas';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { KeyedItemActivity } from '../domain/item-activity.js';
import { itemActivityToWire } from '../wire/item-activity-wire.js';

/** Where a relay's item-activity records go; resolves only once Kafka acknowledged all of them. */
export interface ItemActivitySink {
  send(messages: readonly { key: string; partition?: number; value: Buffer }[]): Promise<void>;
}

export interface RelayHandlerDependencies<T> {
  readonly decode: (value: Buffer) => T;
  /** The pure domain: the item-activity records one input value yields (may throw a coded AppError). */
  readonly recordsFor: (value: T) => readonly KeyedItemActivity[];
  readonly eventTimeOf: (value: T) => number;
  readonly activity: AvroCodec<ItemActivityWire>;
  readonly sink: ItemActivitySink;
}

/**
 * A stateless stage that turns an input topic into item-activity records (trending's catalogue relay,
 * features' exposure relay). It writes no Redis state: `commit` produces and awaits the acks, and the
 * loop then commits the Kafka offsets. A crash in between re-sends the same records with the same
 * `dedupId`, which the item stages guard on. Tombstones (null values) carry nothing to relay.
 */
export function createRelayHandler<T>(deps: RelayHandlerDependencies<T>): PartitionBatchHandler {
  return {
    prepare({ records }) {
      const deadLetters: DeadLetterInput[] = [];
      const outgoing: KeyedItemActivity[] = [];
      const eventTimesMs: number[] = [];
      for (const record of records) {
        if (record.value === null) continue;
        try {
          const value = deps.decode(record.value);
          outgoing.push(...deps.recordsFor(value));
          eventTimesMs.push(deps.eventTimeOf(value));
        } catch (error) {
          deadLetters.push(deadLetterFor(record, error));
        }
      }
      return Promise.resolve({
        deadLetters,
        eventTimesMs,
        commit: async () => {
          if (outgoing.length === 0) return;
          await deps.sink.send(outgoing.map((keyed) => ({ key: keyed.key, partition: keyed.partition, value: deps.activity.encodeBuilt(itemActivityToWire(keyed.value)) })));
        },
      });
    },
  };
}
