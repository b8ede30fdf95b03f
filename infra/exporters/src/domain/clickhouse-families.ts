import { metricName, single, type Family } from './exposition.js';

export interface NamedValue {
  readonly name: string;
  readonly value: number;
}

export interface TableStats {
  readonly table: string;
  readonly engine: string;
  /** Active data parts, their rows and bytes on disk (0 for a table without data). */
  readonly parts: number;
  readonly rows: number;
  readonly bytes: number;
  /** Newest modification time of an active part (an insert, or a merge of inserted parts), Unix seconds; 0 without parts. */
  readonly modifiedSeconds: number;
}

/**
 * system.events lists an event only once it has happened (since the server started): these are exported
 * as 0 until then, so a dashboard or an alert sees them from the start and rate() counts the first ones.
 */
export const ALWAYS_EXPORTED_EVENTS = ['Query', 'SelectQuery', 'InsertQuery', 'FailedQuery', 'FailedSelectQuery', 'FailedInsertQuery', 'InsertedRows', 'InsertedBytes', 'MergedRows'] as const;

/** What the exporter reads from ClickHouse's system tables in one scrape. */
export interface ClickHouseSystemState {
  readonly metrics: readonly NamedValue[];
  readonly events: readonly NamedValue[];
  readonly asyncMetrics: readonly NamedValue[];
  readonly tables: readonly TableStats[];
}

/**
 * The `clickhouse` job's metrics. system.metrics, system.events and system.asynchronous_metrics keep the
 * names ClickHouse's own Prometheus endpoint (20.1+, used in infra/compose) gives them —
 * ClickHouseMetrics_*, ClickHouseProfileEvents_* (counters), ClickHouseAsyncMetrics_* — so dashboards and
 * rules read the same series from 18.16 here and from a current server there; plus the row counts, parts
 * and newest write of the tables in the project's database.
 */
export function clickHouseFamilies(database: string, state: ClickHouseSystemState | undefined): Family[] {
  const families: Family[] = [single('clickhouse_up', 'ClickHouse answered the exporter\'s queries (1) or not (0)', state === undefined ? 0 : 1)];
  if (state === undefined) return families;
  for (const metric of state.metrics) families.push(single(metricName(`ClickHouseMetrics_${metric.name}`), `system.metrics ${metric.name}`, metric.value));
  const seen = new Set(state.events.map((event) => event.name));
  const events = [...state.events, ...ALWAYS_EXPORTED_EVENTS.filter((name) => !seen.has(name)).map((name) => ({ name, value: 0 }))];
  for (const event of events) families.push(single(metricName(`ClickHouseProfileEvents_${event.name}`), `system.events ${event.name}`, event.value, 'counter'));
  for (const metric of state.asyncMetrics) families.push(single(metricName(`ClickHouseAsyncMetrics_${metric.name}`), `system.asynchronous_metrics ${metric.name}`, metric.value));
  const per = (pick: (table: TableStats) => number) => state.tables.map((table) => ({ labels: { database, table: table.table }, value: pick(table) }));
  families.push(
    { name: 'clickhouse_table_rows', help: 'Rows in the active parts of a table (a ReplacingMergeTree counts duplicates until they are merged away)', type: 'gauge', samples: per((table) => table.rows) },
    { name: 'clickhouse_table_parts', help: 'Active data parts of a table', type: 'gauge', samples: per((table) => table.parts) },
    { name: 'clickhouse_table_bytes', help: 'Bytes on disk of the active parts of a table', type: 'gauge', samples: per((table) => table.bytes) },
    {
      name: 'clickhouse_table_modified_timestamp_seconds',
      help: 'Newest write of an active part of a table: its last insert, or a merge of inserted parts (Unix time; 0 for an empty table)',
      type: 'gauge',
      samples: per((table) => table.modifiedSeconds),
    },
  );
  return families;
}
