import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouseClient } from '@streamrec/foundation/clickhouse';
import type { ClickHouseSystemState, NamedValue, TableStats } from '../domain/clickhouse-families.js';

export interface ClickHouseSystemSource {
  read(): Promise<ClickHouseSystemState>;
  close(): Promise<void>;
}

export interface ClickHouseSettings {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Checked by the config schema to be a plain identifier (it is quoted into the SQL). */
  readonly database: string;
  readonly timeoutMs: number;
}

/** Reads system.metrics, system.events, system.asynchronous_metrics and the parts of the project's tables (all cheap system-table reads; SQL that 18.16 runs). */
export function clickHouseSystemSource(settings: ClickHouseSettings): ClickHouseSystemSource {
  const client: ClickHouseClient = createClickHouseClient({ url: settings.url, username: settings.username, password: settings.password, requestTimeoutMs: settings.timeoutMs });
  const rows = async <Row>(query: string): Promise<Row[]> => (await client.query({ query, format: 'JSONEachRow' })).json<Row>();
  const named = (table: string, column: string): Promise<NamedValue[]> => rows<NamedValue>(`SELECT ${column} AS name, toFloat64(value) AS value FROM system.${table}`);
  const database = `'${settings.database}'`;
  return {
    async read() {
      const [metrics, events, asyncMetrics, tables, parts] = await Promise.all([
        named('metrics', 'metric'),
        named('events', 'event'),
        named('asynchronous_metrics', 'metric'),
        rows<{ table: string; engine: string }>(`SELECT name AS table, engine FROM system.tables WHERE database = ${database} AND engine NOT LIKE '%View'`),
        rows<{ table: string; parts: number; rows: number; bytes: number; modified: number }>(
          `SELECT table, toFloat64(count()) AS parts, toFloat64(sum(rows)) AS rows, toFloat64(sum(bytes_on_disk)) AS bytes, toFloat64(toUInt32(max(modification_time))) AS modified
           FROM system.parts WHERE active AND database = ${database} GROUP BY table`,
        ),
      ]);
      const byTable = new Map(parts.map((part) => [part.table, part]));
      const stats: TableStats[] = tables.map(({ table, engine }) => {
        const part = byTable.get(table);
        return { table, engine, parts: part?.parts ?? 0, rows: part?.rows ?? 0, bytes: part?.bytes ?? 0, modifiedSeconds: part?.modified ?? 0 };
      });
      return { metrics, events, asyncMetrics, tables: stats };
    },
    close: () => client.close(),
  };
}
