import type { ClickHouseClient } from '@clickhouse/client';

/**
 * What streams/clickhouse-sink wrote from one test-owned interactions topic (`kafka_topic` scopes every
 * query: the tables are shared). Topic names are the test's own (`[A-Za-z0-9._-]`), checked before
 * they are inlined: ClickHouse 18.16 has no server-side query parameters.
 */
function checkedTopic(topic: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(topic)) throw new RangeError(`not a Kafka topic name: ${topic}`);
  return topic;
}

async function rows<T>(clickhouse: ClickHouseClient, query: string): Promise<T[]> {
  const result = await clickhouse.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Highest stored offset per partition of the topic's rows in streamrec.interactions. */
export async function sinkStoredOffsets(clickhouse: ClickHouseClient, topic: string): Promise<Map<number, bigint>> {
  const stored = await rows<{ partition: number; offset: string }>(
    clickhouse,
    `SELECT kafka_partition AS partition, toString(max(kafka_offset)) AS offset FROM streamrec.interactions WHERE kafka_topic = '${checkedTopic(topic)}' GROUP BY kafka_partition`,
  );
  return new Map(stored.map(({ partition, offset }) => [Number(partition), BigInt(offset)]));
}

/** Distinct event ids per item, as ClickHouse counts them. */
export async function clickHouseEventsPerItem(clickhouse: ClickHouseClient, topic: string): Promise<Map<number, number>> {
  const counts = await rows<{ item: string; events: string }>(
    clickhouse,
    `SELECT toString(item_id) AS item, toString(uniqExact(event_id)) AS events FROM streamrec.interactions WHERE kafka_topic = '${checkedTopic(topic)}' GROUP BY item_id`,
  );
  return new Map(counts.map(({ item, events }) => [Number(item), Number(events)]));
}

/** Rows of one Kafka record beyond the first (a record inserted twice); merges can only lower it. */
export async function recordsInsertedTwice(clickhouse: ClickHouseClient, topic: string): Promise<number> {
  const [result] = await rows<{ extra: string }>(
    clickhouse,
    `SELECT toString(count() - uniqExact(kafka_partition, kafka_offset)) AS extra FROM streamrec.interactions WHERE kafka_topic = '${checkedTopic(topic)}'`,
  );
  return Number(result?.extra ?? '0');
}

/** Removes the rows the sink wrote from the test's topics (mutations; best effort). */
export async function deleteSinkRows(clickhouse: ClickHouseClient, tables: Readonly<Record<string, string>>, itemRange: { first: number; last: number }): Promise<void> {
  for (const [table, topic] of Object.entries(tables)) {
    await clickhouse.command({ query: `ALTER TABLE streamrec.${table} DELETE WHERE kafka_topic = '${checkedTopic(topic)}'` }).catch(() => undefined);
  }
  const { first, last } = itemRange;
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) throw new RangeError('item range must be integers');
  await clickhouse.command({ query: `ALTER TABLE streamrec.interactions_daily DELETE WHERE item_id BETWEEN ${first} AND ${last}` }).catch(() => undefined);
}
