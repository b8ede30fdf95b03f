import { randomBytes } from 'node:crypto';
import { createClickHouseClient } from '@streamrec/foundation/clickhouse';
import mysql, { type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { sql } from '@streamrec/foundation';
import type { DrillSettings } from '../config.js';
import type { Canary, CommandResult, ShopProbe } from '../domain/world.js';

type Run = (command: readonly string[]) => Promise<CommandResult>;

/**
 * The shop's MariaDB (the canary: a new canary user's favourite of a random listed dataset) and
 * ClickHouse (where the canary must arrive once). Binlog purging runs as MariaDB's root through the
 * stack's own client function, as an operator would.
 */
export function shopProbe(settings: DrillSettings, run: Run): ShopProbe & { close(): Promise<void> } {
  const clickhouse = createClickHouseClient({ url: settings.clickhouse.url, username: settings.clickhouse.username, password: settings.clickhouse.password, requestTimeoutMs: 30_000 });
  const db = sql.identifier(settings.clickhouse.database);
  const scalar = async (query: string): Promise<string | undefined> => {
    const result = await clickhouse.query({ query, format: 'JSONEachRow' });
    const rows = await result.json<Record<string, unknown>>();
    const first = rows[0];
    return first === undefined ? undefined : String(Object.values(first)[0]);
  };
  const mariadbRoot = async (statements: string): Promise<string> => {
    const result = await run(['bash', '-c', 'source infra/local/lib.sh && source infra/local/components/mariadb.sh && mariadb_client -N -e "$1"', 'mariadb-root', statements]);
    if (result.code !== 0) throw new Error(`MariaDB refused: ${result.stderr.trim().slice(0, 300)}`);
    return result.stdout.trim();
  };
  return {
    async writeCanary(): Promise<Canary> {
      const connection = await mysql.createConnection({ host: settings.mariadb.host, port: settings.mariadb.port, user: settings.mariadb.user, password: settings.mariadb.password, database: 'shop', timezone: 'Z' });
      try {
        const [datasets] = await connection.query<RowDataPacket[]>(`SELECT id FROM datasets WHERE status = 'listed' ORDER BY RAND() LIMIT 1`);
        const dataset = datasets[0];
        if (dataset === undefined) throw new Error('the shop has no listed datasets to write a canary with (npm run setup loads the demo shop)');
        // A user of its own: a real customer's recommendations are not bent by drills, and no customer can be
        // one normalize drops on purpose (erased by npm run erase while still in the shop's table).
        const label = randomBytes(6).toString('hex');
        const [user] = await connection.execute<ResultSetHeader>('INSERT INTO users (email, display_name) VALUES (?, ?)', [`drill-canary-${label}@example.invalid`, `Drill canary ${label}`]);
        await connection.execute('INSERT INTO favorites (user_id, dataset_id) VALUES (?, ?)', [user.insertId, dataset['id']]);
        return { userId: String(user.insertId), itemId: Number(dataset['id']), action: 'favorite' };
      } finally {
        await connection.end();
      }
    },
    async canaryCount(canary) {
      const found = await scalar(
        `SELECT uniqExact(event_id) FROM ${db}.interactions WHERE user_id = ${sql.string(canary.userId)} AND item_id = ${sql.uint(canary.itemId)} AND action = ${sql.string(canary.action)}`,
      );
      return Number(found ?? 0);
    },
    async activeUser() {
      const user = await scalar(`SELECT user_id FROM ${db}.interactions WHERE NOT startsWith(user_id, 'anon:') AND user_id != '' GROUP BY user_id ORDER BY count() DESC, user_id LIMIT 1`);
      if (user === undefined) throw new Error('no user with interactions in ClickHouse yet (npm run setup loads the demo shop)');
      return user;
    },
    async purgeBinlogs() {
      const files = async (): Promise<string[]> => (await mariadbRoot('SHOW BINARY LOGS')).split('\n').map((line) => line.split('\t')[0] ?? '');
      const before = await files();
      // MariaDB keeps a file until its binlog checkpoint has moved past it (InnoDB flushed its commits), so
      // a PURGE right after a FLUSH may leave the file the connector reads from: flush and purge again
      // until only the newest file is left.
      for (let attempt = 0; attempt < 20; attempt += 1) {
        await mariadbRoot('FLUSH BINARY LOGS');
        const current = (await mariadbRoot('SHOW MASTER STATUS')).split('\t')[0] ?? '';
        if (!/^[\w.-]+$/.test(current)) throw new Error(`unexpected binlog name '${current}'`);
        await mariadbRoot(`PURGE BINARY LOGS TO '${current}'`);
        const after = await files();
        if (after.length === 1) return `purged ${before.filter((file) => !after.includes(file)).join(', ')}; the binlog now starts at ${current}`;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      throw new Error(`MariaDB kept older binlog files after 20 FLUSH + PURGE rounds: ${(await files()).join(', ')}`);
    },
    async rotateCdcPassword() {
      const user = settings.mariadb.cdcUser;
      if (!/^[\w.-]+$/.test(user)) throw new Error(`unexpected CDC user name '${user}'`);
      const password = randomBytes(18).toString('base64url');
      await mariadbRoot(`SET SESSION sql_log_bin = 0; ALTER USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'`);
      return `ALTER USER '${user}'@'127.0.0.1' (a random password, not written anywhere)`;
    },
    close: () => clickhouse.close(),
  };
}
