/**
 * Least privilege on the local stack (issue 15, item 10), each role tried outside its rights on the
 * real servers: the CDC user reads only the captured databases, the ClickHouse application user only
 * `streamrec` (and `system`, which every query needs), Kafka Connect lets no connector override its
 * clients' settings (other brokers, credentials), and Redis lets nobody in without a user and each
 * role's user (processor, API, monitor) only do its own work. Each refusal is also what `npm run setup` configures,
 * so this fails when a grant, a user setting or the worker policy is widened again.
 */
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse } from '../helpers/clickhouse.js';
import { redisAs } from '../helpers/redis.js';
import { runCommand } from '../helpers/run-command.js';
import { connectUrl, repoRoot, stackEnv } from '../helpers/stack.js';
import type { RedisRole } from '@streamrec/foundation';

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

  describe('Redis: one ACL user per role, nobody in without one', () => {
    const clients: Redis[] = [];
    const as = (role: RedisRole | 'anonymous'): Redis => {
      const { host, port, ...credentials } = redisAs(role === 'anonymous' ? 'admin' : role);
      const client = new Redis({ host, port, ...(role === 'anonymous' ? {} : credentials), lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false, retryStrategy: () => null });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    };
    const key = `sr:least-privilege:${process.pid}`;

    afterAll(async () => {
      await Promise.all(clients.map(async (client) => client.quit().catch(() => client.disconnect())));
    });

    it('nobody gets in without a user, and every role has a password of its own', async () => {
      const anonymous = as('anonymous');
      await anonymous.connect();
      await expect(anonymous.get(key)).rejects.toThrow(/NOAUTH/);
      const passwords = (['admin', 'processor', 'api', 'monitor'] as const).map((role) => redisAs(role).password);
      expect(passwords.every((password) => password !== undefined && password.length >= 16)).toBe(true);
      expect(new Set(passwords).size).toBe(4);
      await expect(anonymous.call('AUTH', 'streamrec-processor', 'not-the-password')).rejects.toThrow(/WRONGPASS/);
      // The default user exists (the AOF is replayed as it) but no password opens it.
      for (const password of ['', 'nopass', redisAs('admin').password ?? '']) await expect(anonymous.call('AUTH', 'default', password)).rejects.toThrow(/WRONGPASS/);
      await expect(anonymous.get(key)).rejects.toThrow(/NOAUTH/);
    });

    it('a processor reads and writes the state keys and runs scripts, but no other key and no admin or dangerous command', async () => {
      const processor = as('processor');
      await processor.connect();
      await processor.set(key, '1');
      expect(await processor.eval("return redis.call('INCR', KEYS[1])", 1, key)).toBe(2);
      expect(await processor.hgetall(`${key}:absent`)).toEqual({});
      await expect(processor.set('elsewhere:least-privilege', '1')).rejects.toThrow(/NOPERM/);
      await expect(processor.flushall()).rejects.toThrow(/NOPERM/);
      await expect(processor.keys('sr:*')).rejects.toThrow(/NOPERM/);
      await expect(processor.config('SET', 'appendonly', 'no')).rejects.toThrow(/NOPERM/);
      await expect(processor.call('ACL', 'LIST')).rejects.toThrow(/NOPERM/);
      await expect(processor.publish('sr:events', 'x')).rejects.toThrow(/NOPERM/);
      await processor.del(key);
    });

    it('the API reads the state keys and writes only its rate-limit counters', async () => {
      const admin = as('admin');
      await admin.set(key, 'state');
      const api = as('api');
      await api.connect();
      expect(await api.get(key)).toBe('state');
      await expect(api.set(key, 'overwritten')).rejects.toThrow(/NOPERM/);
      await expect(api.del(key)).rejects.toThrow(/NOPERM/);
      await expect(api.eval("return redis.call('SET', KEYS[1], 'x')", 1, key)).rejects.toThrow(/NOPERM|permission/i);
      const counter = `sr:ratelimit:least-privilege-${process.pid}`;
      expect(await api.incr(counter)).toBe(1);
      await api.del(counter);
      await expect(api.flushdb()).rejects.toThrow(/NOPERM/);
      expect(await admin.get(key)).toBe('state');
      await admin.del(key);
    });

    it('what the roles wrote in transactions and scripts survives a restart of Redis (the AOF is replayed under the ACL)', { timeout: 120_000 }, async () => {
      const processor = as('processor');
      await processor.connect();
      const scripted = `${key}:aof:scripted`;
      const transacted = `${key}:aof:transacted`;
      await processor.eval("redis.call('HSET', KEYS[1], 'n', ARGV[1]); return 1", 1, scripted, '42');
      await processor.multi().set(transacted, 'yes').hincrby(`${transacted}:hash`, 'n', 7).exec();
      // A clean stop writes and fsyncs the AOF: nothing here waits on everysec timing.
      const down = await runCommand(['bash', 'infra/local/stack.sh', 'down', 'redis'], 60_000);
      expect(down.code, down.output).toBe(0);
      const up = await runCommand(['bash', 'infra/local/stack.sh', 'up', 'redis'], 60_000);
      expect(up.code, up.output).toBe(0);
      const admin = new Redis({ ...redisAs('admin'), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      clients.push(admin);
      await admin.connect();
      try {
        expect(await admin.hget(scripted, 'n')).toBe('42');
        expect(await admin.get(transacted)).toBe('yes');
        expect(await admin.hget(`${transacted}:hash`, 'n')).toBe('7');
        const anonymous = as('anonymous');
        await anonymous.connect();
        await expect(anonymous.get(scripted)).rejects.toThrow(/NOAUTH/);
      } finally {
        await admin.del(scripted, transacted, `${transacted}:hash`);
      }
    });

    it('the monitor reads server statistics only, no key', async () => {
      const monitor = as('monitor');
      await monitor.connect();
      expect(await monitor.info('memory')).toContain('used_memory:');
      expect(await monitor.config('GET', 'maxmemory')).toEqual(['maxmemory', String(2 * 1024 ** 3)]);
      await expect(monitor.get(key)).rejects.toThrow(/NOPERM/);
      await expect(monitor.config('SET', 'maxmemory', '0')).rejects.toThrow(/NOPERM/);
    });
  });
});
