/**
 * Full Debezium re-snapshots on the real stack (issue 15, item 5), both ways an operator asks for one:
 *
 * - `npm run connectors -- resnapshot` (the documented recovery for a purged binlog) deletes the
 *   connector's offsets, so it reads every row of every captured table again as `r`, and a row inserted
 *   while the connector was stopped arrives only through the snapshot;
 * - `npm run connectors -- snapshot` inserts a blocking `execute-snapshot` signal into Debezium's signal
 *   table (shop.debezium_signal): the running connector pauses the binlog, reads every row again as `r`,
 *   and resumes; a row written while that happens arrives by the snapshot, the binlog or both.
 *
 * A normalize whose dedup window of emitted ids is 3 (far smaller than the rows it handled, as any real
 * window is beside years of history) must emit none of the re-read rows twice, and every new row once.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdcTopics } from '@streamrec/cdc';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import type { Interaction } from '@streamrec/schemas';
import { normalizeOffsetsKey, offsetField } from '@streamrec/normalize/app';
import { writeFavorite, writeMatomoRows, writeShopRows, type ShopRows } from '../helpers/normalize-rows.js';
import { startOwnNormalize, type OwnNormalize } from '../helpers/own-normalize.js';
import { createRedis } from '../helpers/redis.js';
import { runCommand } from '../helpers/run-command.js';
import { connectMariaDb, connectUrl, createKafka, uniqueSuffix } from '../helpers/stack.js';
import { TopicTail } from '../helpers/topic-tail.js';
import { waitFor } from '../helpers/wait-for.js';

const interactionCodec = createEventCodec(AvroSchemaName.Interactions);
const kafka = createKafka('cdc-resnapshot-test');
const favoritesTopic = 'cdc.shop.favorites';

let shop: Connection;
let matomo: Connection;
let redis: Redis;
let normalize: OwnNormalize;
let tail: TopicTail;

beforeAll(async () => {
  shop = await connectMariaDb('shop');
  matomo = await connectMariaDb('matomo');
  redis = createRedis();
  normalize = await startOwnNormalize('resnapshot', uniqueSuffix(), 700_000, { STREAMREC_NORMALIZE_DEDUP_WINDOW: '3' });
  tail = new TopicTail(kafka, ['events.interactions.v1', favoritesTopic]);
  await tail.start();
});

afterAll(async () => {
  await tail.stop();
  await normalize.stop();
  await shop.end();
  await matomo.end();
  redis.disconnect();
});

function interactionsOf(users: ReadonlySet<string>): Interaction[] {
  return tail
    .of('events.interactions.v1')
    .map((record) => interactionCodec.decode(record.value ?? Buffer.alloc(0)))
    .filter((event) => users.has(event.user_id));
}

/** True once the test's normalize has stored offsets up to the end of every cdc topic partition. */
async function normalizeCaughtUp(): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of cdcTopics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) <= BigInt(low)) continue;
        const stored = await redis.hget(normalizeOffsetsKey(normalize.version), offsetField(topic, partition));
        if (stored === null || BigInt(stored) < BigInt(high) - 1n) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

/** Three users' shop and Matomo rows and two favourites: 14 interactions, awaited as streamed, each once. */
async function writeStreamedRows(label: string): Promise<{ rows: ShopRows[]; users: Set<string> }> {
  const suffix = uniqueSuffix();
  const rows: ShopRows[] = [];
  for (let n = 0; n < 3; n += 1) rows.push(await writeShopRows(shop, `${label}-${n}-${suffix}`));
  const users = new Set(rows.map((row) => String(row.userId)));
  const [first, second, third] = rows as [ShopRows, ShopRows, ShopRows];
  for (const row of rows) await writeMatomoRows(matomo, row.datasetId, row.userId);
  await writeFavorite(shop, first.userId, second.datasetId);
  await writeFavorite(shop, second.userId, third.datasetId);
  // 3 users × (a purchase, a favourite, a page view, a download) + 2 favourites: 14 events, each once.
  const streamed = await waitFor(
    () => {
      const found = interactionsOf(users);
      return found.length >= 14 ? found : undefined;
    },
    { timeoutMs: 90_000, description: 'the 14 streamed interactions' },
  );
  expect(new Set(streamed.map((event) => event.event_id)).size).toBe(14);
  return { rows, users };
}

/** Each event of `users` exactly once, once normalize has handled every cdc record there is. */
async function expectEachOnce(users: ReadonlySet<string>, total: number): Promise<Map<string, number>> {
  await waitFor(() => normalizeCaughtUp(), { timeoutMs: 300_000, intervalMs: 1_000, description: 'normalize through the whole snapshot' });
  await waitFor(() => tail.caughtUp('events.interactions.v1'), { timeoutMs: 60_000, description: 'the tail through what normalize published' });
  const after = interactionsOf(users);
  const counts = new Map<string, number>();
  for (const event of after) counts.set(event.event_id, (counts.get(event.event_id) ?? 0) + 1);
  expect([...counts].filter(([, count]) => count > 1)).toEqual([]);
  expect(after).toHaveLength(total);
  return counts;
}

/** The favourite row id of a favourite's event id (`shop:favorites:<id>:<created ms>`). */
const favoriteIdOf = (eventId: string): number | undefined => (eventId.startsWith('shop:favorites:') ? Number(eventId.split(':')[2]) : undefined);

/** The ids of the favourites rows Debezium published as snapshot reads (`op: r`) after tail offset `from` of each partition. */
function snapshotReadFavorites(from: ReadonlyMap<number, number>): Set<number> {
  const read = new Set<number>();
  for (const record of tail.of(favoritesTopic)) {
    if (record.value === null || Number(record.offset) < (from.get(record.partition) ?? 0)) continue;
    const change = JSON.parse(record.value.toString('utf8')) as { op?: string; after?: { id?: number } | null };
    if (change.op === 'r' && typeof change.after?.id === 'number') read.add(change.after.id);
  }
  return read;
}

function tailEnds(topic: string): Map<number, number> {
  const ends = new Map<number, number>();
  for (const record of tail.of(topic)) ends.set(record.partition, Math.max(ends.get(record.partition) ?? 0, Number(record.offset) + 1));
  return ends;
}

describe('a full re-snapshot through Debezium', () => {
  it('re-reads every row, and normalize emits none twice, only the row the binlog never carried', async () => {
    const { rows, users } = await writeStreamedRows('resnap');
    const third = rows[2] as ShopRows;
    const first = rows[0] as ShopRows;

    // A favourite inserted while the connector is stopped reaches Kafka only through the snapshot: its
    // insert happens between the stop and the resume that `resnapshot` performs, so it is written here
    // once the connector reports STOPPED.
    const resnapshot = runCommand(['npx', '--no-install', 'tsx', 'connectors/src/cli.ts', 'resnapshot', 'cdc-mariadb', '--timeout', '600'], 700_000);
    await waitFor(
      async () => {
        const status = (await (await fetch(`${connectUrl}/connectors/cdc-mariadb/status`)).json()) as { connector: { state: string } };
        return status.connector.state === 'STOPPED';
      },
      { timeoutMs: 60_000, intervalMs: 100, description: 'the connector stopped by resnapshot' },
    );
    const missed = await writeFavorite(shop, third.userId, first.datasetId);
    const done = await resnapshot;
    expect(done.code, done.output.slice(-3000)).toBe(0);

    const counts = await expectEachOnce(users, 15);
    expect(counts.get(missed)).toBe(1);
  }, 900_000);

  it('asked through the signal table, re-reads every row while the binlog waits, and normalize emits each event once', async () => {
    const { rows, users } = await writeStreamedRows('signal');
    const [first, second] = rows as [ShopRows, ShopRows, ShopRows];
    const before = tailEnds(favoritesTopic);
    const [signalsBefore] = await shop.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM debezium_signal');
    const signalCount = Number((signalsBefore[0] as { n: number }).n);

    const snapshot = runCommand(['npx', '--no-install', 'tsx', 'connectors/src/cli.ts', 'snapshot', 'cdc-mariadb', '--timeout', '600'], 700_000);
    // A favourite written as soon as the signal is in the table: before, during or after the snapshot
    // read its table, it arrives by the snapshot, the binlog or both, and must count once.
    await waitFor(
      async () => {
        const [now] = await shop.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM debezium_signal');
        return Number((now[0] as { n: number }).n) > signalCount;
      },
      { timeoutMs: 120_000, intervalMs: 50, description: 'the snapshot signal in shop.debezium_signal' },
    );
    const during = await writeFavorite(shop, second.userId, first.datasetId);
    const done = await snapshot;
    expect(done.code, done.output.slice(-3000)).toBe(0);
    expect(done.output).toMatch(/blocking snapshot snapshot-\S+ done/);

    // The snapshot re-read the test's favourites: each streamed one is in the topic again as `r`.
    const favorites = interactionsOf(users)
      .map((event) => favoriteIdOf(event.event_id))
      .filter((id): id is number => id !== undefined && id !== favoriteIdOf(during));
    expect(favorites).toHaveLength(5);
    await waitFor(
      () => {
        const reread = snapshotReadFavorites(before);
        return favorites.every((id) => reread.has(id));
      },
      { timeoutMs: 60_000, description: "the test's 5 favourites re-read as r in cdc.shop.favorites" },
    );

    const counts = await expectEachOnce(users, 15);
    expect(counts.get(during)).toBe(1);
  }, 900_000);
});
