import { AppError, ErrorCode, missingValueReason, type ConsumedRecord } from '@streamrec/shared';
import { createEventCodec } from '@streamrec/schemas';
import { exposureRow, interactionRow, itemRow, userRow, type ExposureRow, type InteractionRow, type ItemRow, type UserRow } from '../domain/event-rows.js';
import { orderItemRow, orderRow, parseCdcJson, type OrderItemRow, type OrderRow } from '../domain/order-rows.js';
import { SinkTable, type KafkaPosition } from '../domain/sink-tables.js';

export type SinkRow = InteractionRow | ExposureRow | ItemRow | UserRow | OrderRow | OrderItemRow;

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

/** Topic → route; the Avro codecs know every writer schema of their topic (single-object fingerprints). */
export function createTableRoutes(topics: SinkTopics): ReadonlyMap<string, TableRoute> {
  const interactions = createEventCodec('events.interactions.v1');
  const exposures = createEventCodec('serving.exposures.v1');
  const items = createEventCodec('events.items.v1');
  const users = createEventCodec('events.users.v1');
  const routes: [string, TableRoute][] = [
    [
      topics.interactions,
      {
        table: SinkTable.Interactions,
        decode: (record) => {
          const event = interactions.decode(avroValue(record));
          return { kind: 'row', row: interactionRow(event, positionOf(record)), eventTimeMs: event.event_time };
        },
      },
    ],
    [
      topics.exposures,
      {
        table: SinkTable.Exposures,
        decode: (record) => {
          const exposure = exposures.decode(avroValue(record));
          return { kind: 'row', row: exposureRow(exposure, positionOf(record)), eventTimeMs: exposure.event_time };
        },
      },
    ],
    [
      topics.items,
      {
        table: SinkTable.Items,
        decode: (record) => {
          const item = items.decode(avroValue(record));
          return { kind: 'row', row: itemRow(item, positionOf(record)), eventTimeMs: item.updated_at };
        },
      },
    ],
    [
      topics.users,
      {
        table: SinkTable.Users,
        decode: (record) => {
          const user = users.decode(avroValue(record));
          return { kind: 'row', row: userRow(user, positionOf(record)), eventTimeMs: user.updated_at };
        },
      },
    ],
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
  return new Map(routes);
}
