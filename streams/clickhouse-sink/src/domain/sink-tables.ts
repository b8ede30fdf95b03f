import { AppError, ErrorCode } from '@streamrec/foundation';

/** The ClickHouse tables the sink writes (database `streamrec`, DDL in schemas/clickhouse); each is fed by exactly one topic. */
export const SinkTable = {
  Interactions: 'interactions',
  Exposures: 'exposures',
  Items: 'items',
  Users: 'users',
  Orders: 'orders',
  OrderItems: 'order_items',
  /** events.cooccurrence.v1; its view fills cooccurrence. */
  CooccurrenceIncrements: 'cooccurrence_increments',
} as const;
export type SinkTable = (typeof SinkTable)[keyof typeof SinkTable];

export const sinkTables: readonly SinkTable[] = Object.values(SinkTable);

/** Where a row came from. Every sink row carries it, so one INSERT (one atomic block) records its own offsets. */
export interface KafkaPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** The columns `kafka_topic`, `kafka_partition`, `kafka_offset` every sink table has. */
export interface PositionColumns {
  readonly kafka_topic: string;
  readonly kafka_partition: number;
  readonly kafka_offset: number;
}

/** Kafka's legal topic characters; topic names are inlined in SQL (18.16 has no query parameters), so nothing else passes. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export function isTopicName(value: string): boolean {
  return TOPIC_NAME.test(value);
}

export function positionColumns(position: KafkaPosition): PositionColumns {
  // Offsets stay far below 2^53, so the JSON number is exact.
  if (position.offset < 0n || position.offset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError(ErrorCode.InvalidArgument, `offset ${position.offset.toString()} of ${position.topic} is outside 0..2^53`);
  }
  return { kafka_topic: position.topic, kafka_partition: position.partition, kafka_offset: Number(position.offset) };
}

/**
 * The highest offset per partition of one topic already in a table. Read once per partition, then kept
 * in memory; every row of an INSERT carries its offset, so this is exactly what ClickHouse holds.
 */
export function storedOffsetsQuery(database: string, table: SinkTable, topic: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new AppError(ErrorCode.InvalidArgument, `invalid database name ${JSON.stringify(database)}`);
  if (!sinkTables.includes(table)) throw new AppError(ErrorCode.InvalidArgument, `unknown sink table ${JSON.stringify(table)}`);
  if (!isTopicName(topic)) throw new AppError(ErrorCode.InvalidArgument, `invalid topic name ${JSON.stringify(topic)}`);
  return `SELECT kafka_partition, toString(max(kafka_offset)) AS max_offset FROM ${database}.${table} WHERE kafka_topic = '${topic}' GROUP BY kafka_partition`;
}

/** The offsets of one partition in `from..to` (inclusive) a table holds: the hole check after a failed INSERT. */
export function presentOffsetsQuery(database: string, table: SinkTable, topic: string, partition: number, from: bigint, to: bigint): string {
  const base = storedOffsetsQuery(database, table, topic); // validates database, table and topic
  if (!Number.isSafeInteger(partition) || partition < 0) throw new AppError(ErrorCode.InvalidArgument, `invalid partition ${partition}`);
  if (from < 0n || to < from || to > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError(ErrorCode.InvalidArgument, `invalid offset range ${from.toString()}..${to.toString()}`);
  const where = base.slice(base.indexOf(' FROM '), base.indexOf(' GROUP BY '));
  return `SELECT DISTINCT toString(kafka_offset) AS offset${where} AND kafka_partition = ${partition} AND kafka_offset >= ${from.toString()} AND kafka_offset <= ${to.toString()}`;
}

/** Rows of `presentOffsetsQuery` (JSONEachRow) → the offsets. */
export function parsePresentOffsets(rows: readonly unknown[]): Set<bigint> {
  const offsets = new Set<bigint>();
  for (const row of rows) {
    const offset = ((row ?? {}) as { offset?: unknown }).offset;
    if (typeof offset !== 'string' || !/^\d+$/.test(offset)) throw new AppError(ErrorCode.InvalidArgument, `unexpected present-offset row ${JSON.stringify(row)}`);
    offsets.add(BigInt(offset));
  }
  return offsets;
}

/** Rows of `storedOffsetsQuery` (JSONEachRow) → partition → highest stored offset. */
export function parseStoredOffsets(rows: readonly unknown[]): Map<number, bigint> {
  const offsets = new Map<number, bigint>();
  for (const row of rows) {
    const { kafka_partition: partition, max_offset: offset } = (row ?? {}) as { kafka_partition?: unknown; max_offset?: unknown };
    const partitionNumber = Number(partition);
    if (!Number.isSafeInteger(partitionNumber) || partitionNumber < 0 || typeof offset !== 'string' || !/^\d+$/.test(offset)) {
      throw new AppError(ErrorCode.InvalidArgument, `unexpected stored-offset row ${JSON.stringify(row)}`);
    }
    offsets.set(partitionNumber, BigInt(offset));
  }
  return offsets;
}
