/**
 * Integration (needs the local stack: `npm run setup`): the stack applied the project's schemas —
 * every source table of schemas/sql exists in MariaDB with the binlog Debezium needs, and every
 * ClickHouse table and view of schemas/clickhouse exists on the stack's ClickHouse and accepts rows.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { loadClickHouseDdl } from '@streamrec/schemas/clickhouse';
import { createClickHouse } from '../helpers/clickhouse.js';
import { connectMariaDb, repoRoot, uniqueSuffix } from '../helpers/stack.js';

let shop: Connection;
let clickhouse: ClickHouseClient;

beforeAll(async () => {
  shop = await connectMariaDb('shop');
  clickhouse = createClickHouse();
});

afterAll(async () => {
  await shop.end();
  await clickhouse.close();
});

function declaredTables(sql: string): string[] {
  return [...sql.matchAll(/CREATE\s+(?:TABLE|MATERIALIZED\s+VIEW|VIEW)\s+IF\s+NOT\s+EXISTS\s+(?:`?\w+`?\.)?`?(\w+)`?/gi)].map((match) => match[1]!);
}

describe('the local stack applied the schemas', () => {
  it('MariaDB has every table of schemas/sql and a ROW binlog with full images', async () => {
    for (const database of ['shop', 'matomo']) {
      const expected = declaredTables(readFileSync(join(repoRoot, 'schemas', 'sql', `${database}.sql`), 'utf8')).sort();
      const [rows] = await shop.query<RowDataPacket[]>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [database]);
      expect(rows.map((row) => String(row['name'])).sort()).toEqual(expect.arrayContaining(expected));
      expect(expected.length).toBeGreaterThanOrEqual(5);
    }
    const [settings] = await shop.query<RowDataPacket[]>('SELECT @@log_bin AS logBin, @@binlog_format AS format, @@binlog_row_image AS image');
    expect(settings[0]).toMatchObject({ logBin: 1, format: 'ROW', image: 'FULL' });
  });

  it('ClickHouse has every table and view of schemas/clickhouse', async () => {
    const expected = loadClickHouseDdl().flatMap((file) => file.statements.flatMap((statement) => declaredTables(statement)));
    const result = await clickhouse.query({ query: "SELECT name FROM system.tables WHERE database = 'streamrec'", format: 'JSONEachRow' });
    const actual = (await result.json<{ name: string }>()).map((row) => row.name);
    expect(expected.length).toBeGreaterThanOrEqual(10);
    expect(actual.sort()).toEqual(expect.arrayContaining(expected.sort()));
  });

  it('ClickHouse dedups a re-delivered interaction and feeds the daily view', async () => {
    const eventId = `test-${uniqueSuffix()}`;
    const row = { event_id: eventId, user_id: `u-${eventId}`, item_id: 424242, action: 'view', event_time_ms: Date.now(), source: 'beacon', price: null, quantity: null, ingest_time_ms: Date.now() };
    await clickhouse.insert({ table: 'streamrec.interactions', values: [row, row], format: 'JSONEachRow' });
    const result = await clickhouse.query({
      query: `SELECT count() AS copies, uniqExact(event_id) AS events FROM streamrec.interactions FINAL WHERE user_id = 'u-${eventId}'`,
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([{ copies: '1', events: '1' }]);
    // The materialized view saw the insert; unique_events counts the re-delivered copy once.
    const daily = await clickhouse.query({
      query: `SELECT uniqExactMerge(unique_events) AS unique_events FROM streamrec.interactions_daily WHERE item_id = 424242 AND event_date = today()`,
      format: 'JSONEachRow',
    });
    expect(Number((await daily.json<{ unique_events: string }>())[0]?.unique_events)).toBeGreaterThanOrEqual(1);
  });
});

// The file list is what the stack applies; keep the test honest if a DDL file is added.
it('schemas/clickhouse holds only numbered DDL files', () => {
  expect(readdirSync(join(repoRoot, 'schemas', 'clickhouse')).every((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name))).toBe(true);
});
