import { AppError, ErrorCode, missingValueReason } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { exposureRow, interactionRow, itemRow, userRow, type ExposureRow, type InteractionRow, type ItemRow, type UserRow } from '../domain/event-rows.js';
import { orderItemRow, orderRow, parseCdcJson, type OrderItemRow, type OrderRow } from '../domain/order-rows.js';
import { pairIncrementRow, type PairIncrementRow } from '../domain/pair-rows.js';
import { SinkTable, type KafkaPosition } from '../domain/sink-tables.js';

export type SinkRow = InteractionRow | ExposureRow | ItemRow | UserRow | OrderRow | OrderItemRow | PairIncrementRow;

/** A record's row, or nothing to write (a Debezium tombstone); poison throws a non-retriable AppError. */
export type DecodedRecord = { readonly kind: 'row'; readonly row: SinkRow; readonly eventTimeMs: number } | { readonly kind: 'nothing' };

/** How the records of one topic become rows of its one table. */
export interface TableRoute {
  readonly table: SinkTable;
  decode(record: ConsumedRecord): DecodedRecord;
}

export interface SinkTopics {
  readonly interactions: string;
  readonly exposures: string;
  readonly items: string;
  readonly users: string;
  readonly orders: string;
  readonly orderItems: string;
  /** events.cooccurrence.v1, or null: not read. */
  readonly pairs: string | null;
}

const positionOf = (record: ConsumedRecord): KafkaPosition => ({ topic: record.topic, partition: record.partition, offset: record.offset });

function avroValue(record: ConsumedRecord): Buffer {
  if (record.value === null) throw new AppError(ErrorCode.PayloadInvalid, missingValueReason);
  return record.value;
}

function cdcChange(record: ConsumedRecord): unknown {
  const parsed = parseCdcJson(record.value === null ? null : record.value.toString('utf8'));
  return parsed.kind === 'tombstone' ? undefined : parsed.value;
}

/** An Avro topic's route: decode with the topic's codec (every writer schema it knew), map to the row. */
function avroRoute<T>(table: SinkTable, codec: { decode(payload: Uint8Array): T }, toRow: (value: T, position: KafkaPosition) => SinkRow, eventTimeMs: (value: T) => number): TableRoute {
  return {
    table,
    decode: (record) => {
      const value = codec.decode(avroValue(record));
      return { kind: 'row', row: toRow(value, positionOf(record)), eventTimeMs: eventTimeMs(value) };
    },
  };
}

/** Topic → route; the Avro codecs know every writer schema of their topic (single-object fingerprints). */
export function createTableRoutes(topics: SinkTopics): ReadonlyMap<string, TableRoute> {
  const routes: [string, TableRoute][] = [
    [topics.interactions, avroRoute(SinkTable.Interactions, createEventCodec('events.interactions.v1'), interactionRow, (event) => event.event_time)],
    [topics.exposures, avroRoute(SinkTable.Exposures, createEventCodec('serving.exposures.v1'), exposureRow, (exposure) => exposure.event_time)],
    [topics.items, avroRoute(SinkTable.Items, createEventCodec('events.items.v1'), itemRow, (item) => item.updated_at)],
    [topics.users, avroRoute(SinkTable.Users, createEventCodec('events.users.v1'), userRow, (user) => user.updated_at)],
    [
      topics.orders,
      {
        table: SinkTable.Orders,
        decode: (record) => {
          const change = cdcChange(record);
          if (change === undefined) return { kind: 'nothing' };
          const row = orderRow(change, positionOf(record));
          return { kind: 'row', row, eventTimeMs: row.updated_at * 1000 };
        },
      },
    ],
    [
      topics.orderItems,
      {
        table: SinkTable.OrderItems,
        decode: (record) => {
          const change = cdcChange(record);
          if (change === undefined) return { kind: 'nothing' };
          return { kind: 'row', row: orderItemRow(change, positionOf(record)), eventTimeMs: record.timestampMs };
        },
      },
    ],
  ];
  if (topics.pairs !== null) {
    // Transactional records (streams/cooccurrence): the consumer reads committed ones only (kafkajs default).
    routes.push([topics.pairs, avroRoute(SinkTable.CooccurrenceIncrements, createEventCodec('events.cooccurrence.v1'), pairIncrementRow, (increment) => increment.event_date * 86_400_000)]);
  }
  return new Map(routes);
}
