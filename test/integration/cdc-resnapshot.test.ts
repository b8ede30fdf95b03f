/**
 * A full Debezium re-snapshot on the real stack (issue 15, item 5): `npm run connectors -- resnapshot`
 * (the documented recovery for a purged binlog) reads every row of every captured table again as `r`.
 * A normalize whose dedup window of emitted ids is 3 (far smaller than the rows it handled, as any
 * real window is beside years of history) must emit none of them twice, and must emit a row inserted
 * while the connector was stopped, which only the snapshot carries.
 */
import type { Connection } from 'mysql2/promise';
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
  tail = new TopicTail(kafka, ['events.interactions.v1']);
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

describe('a full re-snapshot through Debezium', () => {
  it('re-reads every row, and normalize emits none twice, only the row the binlog never carried', async () => {
    const suffix = uniqueSuffix();
    const rows: ShopRows[] = [];
    for (let n = 0; n < 3; n += 1) rows.push(await writeShopRows(shop, `resnap-${n}-${suffix}`));
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

    await waitFor(() => normalizeCaughtUp(), { timeoutMs: 300_000, intervalMs: 1_000, description: 'normalize through the whole snapshot' });
    await waitFor(() => tail.caughtUp('events.interactions.v1'), { timeoutMs: 60_000, description: 'the tail through what normalize published' });
    const after = interactionsOf(users);
    const counts = new Map<string, number>();
    for (const event of after) counts.set(event.event_id, (counts.get(event.event_id) ?? 0) + 1);
    expect([...counts].filter(([, count]) => count > 1)).toEqual([]);
    expect(counts.get(missed)).toBe(1);
    expect(after).toHaveLength(15);
  }, 900_000);
});
