/**
 * Least privilege on the local stack (issue 15, item 10), each role tried outside its rights on the
 * real servers: the CDC user reads only the captured databases, the ClickHouse application user only
 * `streamrec` (and `system`, which every query needs), and Kafka Connect lets no connector override its
 * clients' settings (other brokers, credentials). Each refusal is also what `npm run setup` configures,
 * so this fails when a grant, a user setting or the worker policy is widened again.
 */
import mysql from 'mysql2/promise';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse } from '../helpers/clickhouse.js';
import { connectUrl, repoRoot, stackEnv } from '../helpers/stack.js';

let cdc: mysql.Connection;

beforeAll(async () => {
  cdc = await mysql.createConnection({
    host: stackEnv['STREAMREC_HOST'] ?? '127.0.0.1',
    port: Number(stackEnv['STREAMREC_MARIADB_PORT']),
    user: stackEnv['STREAMREC_MARIADB_CDC_USER'] ?? 'debezium',
    password: stackEnv['STREAMREC_MARIADB_CDC_PASSWORD'] ?? '',
  });
});

afterAll(async () => {
  await cdc.end();
});

describe('least privilege on the local stack', () => {
  it('the CDC user reads the captured databases and the binlog, and nothing else: no other database, no writes', async () => {
    const [users] = await cdc.query('SELECT COUNT(*) AS n FROM shop.users');
    expect(users).toHaveLength(1);
    await cdc.query('SELECT COUNT(*) FROM matomo.matomo_log_visit');
    await cdc.query('SHOW BINARY LOGS');
    await expect(cdc.query('SELECT COUNT(*) FROM mysql.user')).rejects.toMatchObject({ errno: 1142 });
    await expect(cdc.query("INSERT INTO shop.favorites (user_id, dataset_id) VALUES (1, 1)")).rejects.toMatchObject({ errno: 1142 });
    await expect(cdc.query('CREATE DATABASE cdc_may_not')).rejects.toMatchObject({ errno: 1044 });
    const [grants] = await cdc.query<mysql.RowDataPacket[]>('SHOW GRANTS');
    const text = grants.map((row) => String(Object.values(row)[0])).join('\n');
    expect(text).not.toMatch(/GRANT (ALL|SELECT)[^\n]* ON \*\.\*/);
  });

  it('the ClickHouse application user works in streamrec and system only', async () => {
    const clickhouse = createClickHouse();
    try {
      await clickhouse.query({ query: 'SELECT count() FROM streamrec.interactions', format: 'JSONEachRow' });
      await clickhouse.query({ query: 'SELECT count() FROM system.mutations', format: 'JSONEachRow' });
      await expect(clickhouse.command({ query: 'CREATE TABLE default.app_may_not (a UInt8) ENGINE = Memory' })).rejects.toThrow(/Access denied to database default/);
      await expect(clickhouse.command({ query: 'CREATE DATABASE IF NOT EXISTS app_may_not' })).rejects.toThrow(/Access denied to database app_may_not/);
    } finally {
      await clickhouse.close();
    }
  });

  it('Kafka Connect refuses a connector that overrides its clients (another broker), listens on loopback only, and the shipped connector needs no override', async () => {
    const shipped = JSON.parse(await readFile(join(repoRoot, 'connectors', 'config', 'cdc-mariadb.json'), 'utf8')) as { config: Record<string, string> };
    expect(Object.keys(shipped.config).filter((key) => /^(producer|consumer|admin)\.override\./.test(key))).toEqual([]);
    const probe = { ...shipped.config, name: 'least-privilege-probe', 'producer.override.bootstrap.servers': 'elsewhere.example:9092' };
    const response = await fetch(`${connectUrl}/connector-plugins/${shipped.config['connector.class']}/config/validate`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(probe),
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { error_count: number; configs: { value: { name: string; errors: string[] } }[] };
    expect(result.error_count).toBeGreaterThan(0);
    const refused = result.configs.find((entry) => entry.value.name === 'producer.override.bootstrap.servers');
    expect(refused?.value.errors.join(' ')).toMatch(/policy does not allow/);
    expect(new URL(connectUrl).hostname).toBe('127.0.0.1');
  });
});
