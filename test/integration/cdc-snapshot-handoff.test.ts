/**
 * Integration (needs the local stack: MariaDB, Kafka Connect with the Debezium plugin, Kafka): the
 * snapshot → binlog hand-off on a busy database (issue 15, item 8). A second connector, the project's
 * config with its own name, server id, topic prefix and schema history, is registered on
 * `shop.favorites` while a paced writer inserts and deletes favourites, before,
 * during and after the snapshot. Then:
 *
 * - every row's final state arrives: the last image of each key equals the row in MariaDB, and a key
 *   whose row is gone ends deleted;
 * - none is counted twice: the real normalize domain, fed the topic in order, emits every favourite
 *   still in the table, and no event id twice.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { capturedColumns, SourceTable } from '@streamrec/cdc';
import { createInMemoryState, createNormalizer } from '@streamrec/normalize';
import { CdcTopicReader } from '../helpers/cdc-topic.js';
import { historyByKey } from '../helpers/cdc-state.js';
import { firstDifference, readTableShape, snapshotRows } from '../helpers/db-snapshot.js';
import { connectMariaDb, connectUrl, createKafka, repoRoot, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const suffix = uniqueSuffix().replace(/[^a-z0-9]/gi, '').toLowerCase();
const name = `handoff-${suffix}`;
// Under cdc. (Connect's ACLs: it writes cdc.* topics and uses cdc* groups only), beside the real cdc.shop.* topics.
const prefix = `cdc.handoff${suffix}`;
const topic = `${prefix}.shop.favorites`;
const historyTopic = `_schema-history.${prefix}`;
const kafka = createKafka('test-cdc-snapshot-handoff');
let shop: Connection;
let userId = 0;
let reader: CdcTopicReader | undefined;

async function connect(method: 'PUT' | 'DELETE' | 'GET', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${connectUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** The project's connector config, pointed at shop.favorites under names of its own. */
function handoffConfig(): Record<string, string> {
  const canonical = JSON.parse(readFileSync(join(repoRoot, 'connectors', 'config', 'cdc-mariadb.json'), 'utf8')) as { config: Record<string, string> };
  return {
    ...canonical.config,
    'topic.prefix': prefix,
    'database.server.id': String(300_000 + Math.floor(Math.random() * 600_000)),
    'database.include.list': 'shop',
    'table.include.list': 'shop\\.favorites',
    'schema.history.internal.kafka.topic': historyTopic,
  };
}

beforeAll(async () => {
  shop = await connectMariaDb('shop');
  const [user] = await shop.execute<ResultSetHeader>(`INSERT INTO users (email, display_name, industry, country) VALUES (?, ?, 'finance', 'DE')`, [`handoff-${suffix}@example.com`, `Handoff ${suffix}`]);
  userId = user.insertId;
});

afterAll(async () => {
  await reader?.stop();
  await connect('DELETE', `/connectors/${name}`).catch(() => undefined);
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const ours = [topic, historyTopic, `_heartbeat.${prefix}`].filter((candidate) => existing.has(candidate));
  if (ours.length > 0) await admin.deleteTopics({ topics: ours }).catch(() => undefined);
  await admin.disconnect();
  await shop.execute('DELETE FROM favorites WHERE user_id = ?', [userId]);
  await shop.execute('DELETE FROM users WHERE id = ?', [userId]);
  await shop.end();
});

describe('Debezium snapshot → binlog hand-off under concurrent writes', () => {
  it('every row’s final state arrives, and normalize counts none twice', async () => {
    const [datasetRows] = await shop.query<RowDataPacket[]>('SELECT id FROM datasets ORDER BY id LIMIT 400');
    const datasets = datasetRows.map((row) => Number(row['id']));
    expect(datasets.length).toBeGreaterThan(50);
    // Until told to stop, whatever the snapshot takes: favourite the datasets in turn, and every third
    // write take back the oldest favourite still standing (so deletes race the snapshot too).
    const standing: { dataset: number; id: number }[] = [];
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      for (let next = 0; writing; writes += 1) {
        const oldest = standing[0];
        const dataset = datasets[next % datasets.length] ?? 0;
        if (oldest !== undefined && (writes % 3 === 2 || standing.some((favourite) => favourite.dataset === dataset))) {
          await shop.execute('DELETE FROM favorites WHERE id = ?', [oldest.id]);
          standing.shift();
        } else {
          const [inserted] = await shop.execute<ResultSetHeader>('INSERT INTO favorites (user_id, dataset_id) VALUES (?, ?)', [userId, dataset]);
          standing.push({ dataset, id: inserted.insertId });
          next += 1;
        }
        // Paced, so the writes span registration, snapshot and hand-off at a rate MariaDB takes on a busy machine.
        await sleep(10);
      }
    })();
    await waitFor(() => writes >= 30, { timeoutMs: 30_000, description: 'the writer under way' });
    const registered = await connect('PUT', `/connectors/${name}/config`, handoffConfig());
    expect(registered.status, JSON.stringify(registered.json)).toBeLessThan(300);
    // Streaming = an offset without the snapshot flag; writes go on through the hand-off and after it.
    await waitFor(
      async () => {
        const { json } = await connect('GET', `/connectors/${name}/offsets`);
        const offsets = (json as { offsets?: { offset: Record<string, unknown> }[] } | null)?.offsets ?? [];
        return offsets.length > 0 && offsets.every(({ offset }) => offset['snapshot'] === undefined || offset['snapshot'] === false || offset['snapshot'] === 'false');
      },
      { timeoutMs: 120_000, description: `connector ${name} streaming after its snapshot` },
    );
    const atHandoff = writes;
    await waitFor(() => writes >= atHandoff + 30, { timeoutMs: 30_000, description: 'writes after the hand-off' });
    writing = false;
    await writer;

    const shape = await readTableShape(shop, 'shop', 'favorites', capturedColumns[SourceTable.ShopFavorites]);
    const rows = await snapshotRows(shop, shape);
    reader = new CdcTopicReader(kafka, [topic]);
    await reader.start('beginning');
    const histories = await reader.waitUntil(
      `the final state of all ${rows.size} favourites`,
      (records) => {
        const byKey = historyByKey(records, topic);
        for (const [key, row] of rows) {
          const last = byKey.get(key)?.last;
          if (last === undefined || firstDifference(shape, row, last, 'debezium') !== undefined) return undefined;
        }
        return byKey;
      },
      120_000,
    );
    // A key whose row is gone ends deleted.
    for (const [key, history] of histories) if (!rows.has(key)) expect(history.last, key).toBeUndefined();
    console.info(`snapshot hand-off: ${writes} writes (${atHandoff} before streaming), ${rows.size} rows, ${reader.records.length} records`);

    // The real normalize domain over the topic as normalize reads it (each partition in order, with its
    // partition: snapshot re-reads are judged per partition): every favourite in the table once, none twice.
    const normalizer = createNormalizer({ state: createInMemoryState() });
    const emitted = new Map<string, number>();
    const ordered = [...reader.records].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
    for (const record of ordered) {
      const result = normalizer.normalize({ topic: 'cdc.shop.favorites', value: record.value, partition: record.partition }, { ingestTime: 0 });
      expect(result.deadLetters, JSON.stringify(record.value)).toEqual([]);
      for (const interaction of result.interactions) emitted.set(interaction.event_id, (emitted.get(interaction.event_id) ?? 0) + 1);
    }
    expect([...emitted.values()].filter((count) => count > 1)).toEqual([]);
    for (const [key, row] of rows) {
      const last = histories.get(key)?.last;
      expect(emitted.get(`shop:favorites:${String(row['id'])}:${String(last?.['created_at'])}`), key).toBe(1);
    }
  });
});
