import mysql from 'mysql2/promise';
import type { MariaDbBinlogState } from '../domain/binlog-families.js';

export interface MariaDbBinlogSource {
  read(): Promise<MariaDbBinlogState>;
  close(): Promise<void>;
}

export interface MariaDbSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly timeoutMs: number;
}

/**
 * SHOW BINARY LOGS and SHOW MASTER STATUS (BINLOG MONITOR is the only privilege they need), the expiry
 * and the server id, and the binlog counters of SHOW GLOBAL STATUS. One pooled connection, re-opened by
 * the pool after MariaDB restarts.
 */
export function mariaDbBinlogSource(settings: MariaDbSettings): MariaDbBinlogSource {
  const pool = mysql.createPool({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    connectionLimit: 1,
    connectTimeout: settings.timeoutMs,
    enableKeepAlive: true,
  });
  const query = async <Row>(sql: string): Promise<Row[]> => (await pool.query({ sql, timeout: settings.timeoutMs }))[0] as Row[];
  return {
    async read() {
      const logs = await query<{ Log_name: string; File_size: number | string }>('SHOW BINARY LOGS');
      const [master] = await query<{ File: string; Position: number | string }>('SHOW MASTER STATUS');
      const [variables] = await query<{ serverId: number | string; expire: number | string }>('SELECT @@server_id AS serverId, @@binlog_expire_logs_seconds AS expire');
      const status = await query<{ Variable_name: string; Value: string }>("SHOW GLOBAL STATUS WHERE Variable_name IN ('Binlog_commits', 'Binlog_bytes_written')");
      if (master === undefined || variables === undefined) throw new Error('binary logging is off (SHOW MASTER STATUS is empty)');
      const counter = (name: string): number => Number(status.find((row) => row.Variable_name === name)?.Value ?? Number.NaN);
      return {
        serverId: Number(variables.serverId),
        logs: logs.map((log) => ({ name: log.Log_name, sizeBytes: Number(log.File_size) })),
        current: { file: master.File, position: Number(master.Position) },
        expireLogsSeconds: Number(variables.expire),
        commits: counter('Binlog_commits'),
        bytesWritten: counter('Binlog_bytes_written'),
      };
    },
    close: () => pool.end(),
  };
}
