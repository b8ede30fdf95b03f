/**
 * Integration (needs the local stack's ClickHouse, started by the stack scripts with the analyst user and
 * STREAMREC_CLICKHOUSE_ANALYST_PASSWORD in .stack/secrets.env): the analysts' user reads the streamrec
 * database and nothing else, cannot write, create or drop, cannot raise its limits, hits them, and every
 * query of docs/analytics.md runs as that user.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { repoRoot, stackEnv } from '../helpers/stack.js';

function analystClient(): ClickHouseClient {
  const password = stackEnv['STREAMREC_CLICKHOUSE_ANALYST_PASSWORD'];
  if (password === undefined || password === '') throw new Error('STREAMREC_CLICKHOUSE_ANALYST_PASSWORD is not set: is the local stack set up (npm run setup)?');
  return createClient({
    url: `http://${stackEnv['STREAMREC_HOST'] ?? '127.0.0.1'}:${stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`,
    username: stackEnv['STREAMREC_CLICKHOUSE_ANALYST_USER'] ?? 'analyst',
    password,
    database: 'streamrec',
    // readonly = 1 refuses any setting a client sends, HTTP compression included.
    compression: { request: false, response: false },
    log: { level: ClickHouseLogLevel.OFF },
  });
}

const analyst = analystClient();

afterAll(async () => {
  await analyst.close();
});

/** The ClickHouse error code of a failed statement (undefined when it succeeded). */
async function errorCode(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    // @clickhouse/client parses the code of current servers' messages; 18.16 writes "Code: 164, e.displayText() = ...".
    const { code, message } = error as { code?: string; message?: string };
    return code ?? /Code: (\d+)/.exec(message ?? '')?.[1] ?? `no code: ${String(error)}`;
  }
}

const READONLY = '164';
const ACCESS_DENIED = '291';
const TOO_MANY_ROWS = '396';

/** The ```sql blocks of docs/analytics.md, in order. */
function documentedQueries(): string[] {
  const text = readFileSync(join(repoRoot, 'docs', 'analytics.md'), 'utf8');
  return [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => (match[1] ?? '').trim());
}

describe('the analyst user', () => {
  it('reads the streamrec tables', async () => {
    const result = await analyst.query({ query: "SELECT count() AS tables FROM system.tables WHERE database = 'streamrec'", format: 'JSONEachRow' });
    const [row] = await result.json<{ tables: string }>();
    expect(Number(row?.tables)).toBeGreaterThanOrEqual(13);
    await expect(analyst.query({ query: 'SELECT count() FROM streamrec.interactions FINAL', format: 'JSONEachRow' })).resolves.toBeDefined();
  });

  it('cannot insert, create, drop or alter', async () => {
    expect(await errorCode(() => analyst.insert({ table: 'streamrec.users', values: [{ id: 1 }], format: 'JSONEachRow' }))).toBe(READONLY);
    expect(await errorCode(() => analyst.command({ query: 'CREATE TABLE streamrec.analyst_scratch (x UInt8) ENGINE = Memory' }))).toBe(READONLY);
    expect(await errorCode(() => analyst.command({ query: 'DROP TABLE streamrec.items' }))).toBe(READONLY);
    expect(await errorCode(() => analyst.command({ query: 'ALTER TABLE streamrec.items DELETE WHERE id = 0' }))).toBe(READONLY);
  });

  it('is allowed on the streamrec database only', async () => {
    expect(await errorCode(() => analyst.query({ query: 'SELECT 1 FROM default.any_table', format: 'JSONEachRow' }))).toBe(ACCESS_DENIED);
  });

  it('runs with its profile limits, cannot raise them, and hits them', async () => {
    const result = await analyst.query({ query: 'SELECT name, value FROM system.settings WHERE changed', format: 'JSONEachRow' });
    const settings = Object.fromEntries((await result.json<{ name: string; value: string }>()).map(({ name, value }) => [name, value]));
    expect(settings).toMatchObject({
      readonly: '1',
      max_execution_time: '60',
      max_memory_usage: '2000000000',
      max_result_rows: '100000',
      result_overflow_mode: 'throw',
      max_rows_to_read: '500000000',
      read_overflow_mode: 'throw',
    });
    expect(await errorCode(() => analyst.query({ query: 'SELECT 1', format: 'JSONEachRow', clickhouse_settings: { max_result_rows: '0' } }))).toBe(READONLY);
    expect(await errorCode(() => analyst.command({ query: 'SET max_memory_usage = 0' }))).toBe(READONLY);
    // One row over max_result_rows (cheap: system.numbers stops at the LIMIT).
    expect(await errorCode(async () => (await analyst.query({ query: 'SELECT number FROM system.numbers LIMIT 100001', format: 'JSONEachRow' })).json())).toBe(TOO_MANY_ROWS);
  });

  it('runs every query of docs/analytics.md', async () => {
    const queries = documentedQueries();
    expect(queries.length).toBeGreaterThanOrEqual(10);
    const failures: string[] = [];
    for (const query of queries) {
      try {
        await (await analyst.query({ query, format: 'JSONEachRow' })).json();
      } catch (error) {
        failures.push(`${query.split('\n')[0] ?? ''}…: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
