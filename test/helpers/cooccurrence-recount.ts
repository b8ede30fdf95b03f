import type { ClickHouseClient } from '@clickhouse/client';
import type { Kafka } from 'kafkajs';
import { createEventCodec } from '@streamrec/schemas/avro';
import type { Interaction, InteractionAction } from '@streamrec/schemas';
import { uniqueSuffix } from './stack.js';
import { waitFor } from './wait-for.js';

/**
 * An independent recount of the daily item-pair counts streams/cooccurrence emits (events.cooccurrence.v1
 * → ClickHouse cooccurrence), from the interactions alone, by the pairing rule as documented in
 * streams/cooccurrence/README.md rather than by the processor's code: per user, in the order of the
 * user's records on the topic, an interaction of item i pairs with every other item of the user's window
 * (the last 10 distinct items, each with its newest event time) at most 24 h from it; a re-delivered
 * event (same user and source event id) and a stitched copy pair nothing, the copy still joins the
 * window; the pair counts 1 and the action's weight on the UTC day of the interaction.
 */
export const PAIRING_RULE = {
  windowItems: 10,
  windowMs: 24 * 3_600_000,
  weights: { view: 1, click: 2, download: 3, favorite: 4, cart: 5, purchase: 10 } satisfies Record<InteractionAction, number>,
} as const;

export interface PairTotal {
  pairCount: number;
  weight: number;
}

/** `day|low|high` (days since 1970-01-01, the smaller item id first) → totals. */
export type PairTotals = Map<string, PairTotal>;

const DAY_MS = 86_400_000;
export const pairKey = (day: number, a: number, b: number): string => (a < b ? `${day}|${a}|${b}` : `${day}|${b}|${a}`);

function add(totals: PairTotals, key: string, pairCount: number, weight: number): void {
  const total = totals.get(key);
  if (total === undefined) totals.set(key, { pairCount, weight });
  else {
    total.pairCount += pairCount;
    total.weight += weight;
  }
}

/** `interactions` in the order the topic holds each user's records (a user's records share a partition). */
export function recountPairs(interactions: readonly Interaction[]): PairTotals {
  const windows = new Map<string, Map<number, number>>();
  const seen = new Set<string>();
  const totals: PairTotals = new Map();
  for (const event of interactions) {
    const stitched = event.event_id.startsWith('stitch:');
    const sourceId = stitched ? event.event_id.slice(event.event_id.indexOf(':', 'stitch:'.length) + 1) : event.event_id;
    const guard = `${event.user_id}|${sourceId}`;
    if (seen.has(guard)) continue;
    seen.add(guard);
    const window = windows.get(event.user_id) ?? new Map<number, number>();
    windows.set(event.user_id, window);
    const weight = PAIRING_RULE.weights[event.action];
    if (!stitched && weight > 0) {
      for (const [item, time] of window) {
        if (item !== event.item_id && Math.abs(time - event.event_time) <= PAIRING_RULE.windowMs) add(totals, pairKey(Math.floor(event.event_time / DAY_MS), event.item_id, item), 1, weight);
      }
    }
    window.set(event.item_id, Math.max(window.get(event.item_id) ?? event.event_time, event.event_time));
    if (window.size > PAIRING_RULE.windowItems) {
      // Keep the newest: by time, then (Redis's zset order) by the id's text, descending.
      const kept = [...window].sort(([a, ta], [b, tb]) => tb - ta || (String(b) < String(a) ? -1 : String(b) > String(a) ? 1 : 0)).slice(0, PAIRING_RULE.windowItems);
      window.clear();
      for (const [item, time] of kept) window.set(item, time);
    }
  }
  return totals;
}

/** The committed records of a pairs topic, summed (a read_committed consumer, as the sink reads it). */
export async function readPairsTopic(kafka: Kafka, topic: string): Promise<PairTotals> {
  const codec = createEventCodec('events.cooccurrence.v1');
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `test-read-${uniqueSuffix()}`;
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 8 * 1024 * 1024 });
  const totals: PairTotals = new Map();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, BigInt(high)]));
    const positions = new Map<number, bigint>();
    // Batches of only transaction markers never reach eachBatch: follow the consumer's position instead.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      positions.set(payload.partition, BigInt(payload.lastOffset) + 1n);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: ({ batch }) => {
        for (const message of batch.messages) {
          const value = codec.decode(message.value ?? Buffer.alloc(0));
          add(totals, pairKey(value.event_date, value.item_id, value.other_item_id), value.pair_count, value.weight);
        }
        return Promise.resolve();
      },
    });
    await waitFor(() => [...ends].every(([partition, end]) => end === 0n || (positions.get(partition) ?? 0n) >= end), { timeoutMs: 300_000, intervalMs: 200, description: `all of ${topic} read back` });
    return totals;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

function checkedTopic(topic: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(topic)) throw new RangeError(`not a Kafka topic name: ${topic}`);
  return topic;
}

interface PairRow {
  readonly day: string;
  readonly low: string;
  readonly high: string;
  readonly pairs: string;
  readonly weight: number;
}

async function pairRows(clickhouse: ClickHouseClient, query: string): Promise<PairTotals> {
  const rows = await (await clickhouse.query({ query, format: 'JSONEachRow' })).json<PairRow>();
  const totals: PairTotals = new Map();
  for (const row of rows) add(totals, pairKey(Number(row.day), Number(row.low), Number(row.high)), Number(row.pairs), Number(row.weight));
  return totals;
}

/** What the sink wrote from one pairs topic into cooccurrence_increments, summed per day and pair. */
export async function clickHouseIncrements(clickhouse: ClickHouseClient, topic: string): Promise<PairTotals> {
  return pairRows(
    clickhouse,
    `SELECT toString(toUInt16(event_date)) AS day, toString(low_item_id) AS low, toString(high_item_id) AS high, toString(sum(pair_count)) AS pairs, sum(weight) AS weight
     FROM streamrec.cooccurrence_increments WHERE kafka_topic = '${checkedTopic(topic)}' GROUP BY event_date, low_item_id, high_item_id`,
  );
}

/**
 * The analysts' table for pairs of items in a range, one direction (item_id < other_item_id), plus the
 * pairs whose two directions disagree (the view writes both with the same increment).
 */
export async function clickHouseCooccurrence(clickhouse: ClickHouseClient, items: { first: number; last: number }): Promise<{ totals: PairTotals; asymmetric: string[] }> {
  if (!Number.isSafeInteger(items.first) || !Number.isSafeInteger(items.last)) throw new RangeError('item range must be integers');
  const range = `BETWEEN ${items.first} AND ${items.last}`;
  const directed = await (
    await clickhouse.query({
      query: `SELECT toString(toUInt16(event_date)) AS day, toString(item_id) AS low, toString(other_item_id) AS high, toString(sum(pair_count)) AS pairs, sum(weight) AS weight
              FROM streamrec.cooccurrence WHERE item_id ${range} AND other_item_id ${range} GROUP BY event_date, item_id, other_item_id`,
      format: 'JSONEachRow',
    })
  ).json<PairRow>();
  const forward: PairTotals = new Map();
  const backward: PairTotals = new Map();
  for (const row of directed) add(Number(row.low) < Number(row.high) ? forward : backward, pairKey(Number(row.day), Number(row.low), Number(row.high)), Number(row.pairs), Number(row.weight));
  const asymmetric = [...new Set([...forward.keys(), ...backward.keys()])].filter((key) => JSON.stringify(forward.get(key)) !== JSON.stringify(backward.get(key)));
  return { totals: forward, asymmetric };
}

/** Up to `limit` differences, `day|low|high expected → actual`, empty when equal. */
export function pairDifferences(expected: PairTotals, actual: PairTotals, limit = 10): string[] {
  const keys = [...new Set([...expected.keys(), ...actual.keys()])];
  const show = (total: PairTotal | undefined): string => (total === undefined ? 'none' : `${total.pairCount}/${total.weight}`);
  return keys
    .filter((key) => expected.get(key)?.pairCount !== actual.get(key)?.pairCount || expected.get(key)?.weight !== actual.get(key)?.weight)
    .slice(0, limit)
    .map((key) => `${key}: ${show(expected.get(key))} → ${show(actual.get(key))}`);
}

/** Removes what the sink wrote from a test's pairs topic, and the view's rows of the test's items (mutations; best effort). */
export async function deletePairRows(clickhouse: ClickHouseClient, topic: string, items: { first: number; last: number }): Promise<void> {
  if (!Number.isSafeInteger(items.first) || !Number.isSafeInteger(items.last)) throw new RangeError('item range must be integers');
  await clickhouse.command({ query: `ALTER TABLE streamrec.cooccurrence_increments DELETE WHERE kafka_topic = '${checkedTopic(topic)}'` }).catch(() => undefined);
  await clickhouse.command({ query: `ALTER TABLE streamrec.cooccurrence DELETE WHERE item_id BETWEEN ${items.first} AND ${items.last}` }).catch(() => undefined);
}
