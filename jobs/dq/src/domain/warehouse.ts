import { TABLES, type TableName } from './catalogue.js';
import type { DelaySeries, FutureEvents, HourlyRow, ItemEvents, PricedItem, TableHealth, WarehouseMeasurements } from './measurements.js';
import { cataloguePricesQuery, delaysQuery, eventsPerItemQuery, finalHealthQuery, futureEventsQuery, futureSamplesQuery, hourlyEventsQueries, requiredColumns, rowCountQuery } from './queries.js';
import type { CatalogueScope, DataWindow } from './window.js';

/** What the measurements need from ClickHouse: rows of a read-only query (JSONEachRow objects). */
export interface SqlReader {
  rows(query: string): Promise<readonly Record<string, unknown>[]>;
}

export interface WarehouseOptions {
  readonly database: string;
  readonly window: DataWindow;
  readonly catalogue: CatalogueScope;
  readonly nowMs: number;
  readonly lateAfterMs: number;
  readonly futureToleranceMs: number;
  /** Bounds the rows of the per-item and price queries. */
  readonly rowLimit: number;
  readonly progress: (line: string) => void;
}

/** ClickHouse returns 64-bit integers as strings in JSON; every figure goes through here. */
export function num(value: unknown): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : Number.NaN;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

export function decodeTableHealth(table: TableName, rows: readonly Record<string, unknown>[], finalRows: readonly Record<string, unknown>[]): TableHealth {
  const stored = rows[0] ?? {};
  const final = finalRows[0] ?? {};
  return {
    table,
    rows: num(stored['rows']),
    rowsFinal: num(final['rows_final']),
    currentRows: num(final['current_rows']),
    missingRows: num(final['missing_any']),
    missingByColumn: requiredColumns(table).map((column, index) => ({ column, rows: num(final[`m${index}`]) })),
  };
}

export function decodeDelays(table: 'interactions' | 'exposures', rows: readonly Record<string, unknown>[]): DelaySeries[] {
  return rows.map((row) => {
    const quantiles = Array.isArray(row['q']) ? (row['q'] as unknown[]).map(num) : [];
    const buckets: number[] = [];
    for (let index = 0; `b${index}` in row; index += 1) buckets.push(num(row[`b${index}`]));
    return {
      table,
      series: str(row['series']),
      events: num(row['events']),
      late: num(row['late']),
      p50Ms: quantiles[0] ?? Number.NaN,
      p95Ms: quantiles[1] ?? Number.NaN,
      p99Ms: quantiles[2] ?? Number.NaN,
      maxMs: num(row['max_d']),
      buckets,
    };
  });
}

/** Runs every warehouse query of a run, one after the other (the local ClickHouse has 2 cores). */
export async function measureWarehouse(reader: SqlReader, options: WarehouseOptions): Promise<WarehouseMeasurements> {
  const { database, window, catalogue, progress } = options;
  progress('events per hour');
  const hourly: HourlyRow[] = [];
  for (const query of hourlyEventsQueries(database, window)) {
    for (const row of await reader.rows(query)) hourly.push({ hourMs: num(row['hour_ms']), series: str(row['series']), count: num(row['events']) });
  }
  const tables: TableHealth[] = [];
  for (const table of TABLES) {
    progress(`missing values and duplicates in ${table}`);
    tables.push(decodeTableHealth(table, await reader.rows(rowCountQuery(database, table, window, catalogue)), await reader.rows(finalHealthQuery(database, table, window, catalogue))));
  }
  progress('catalogue prices');
  const prices: PricedItem[] = (await reader.rows(cataloguePricesQuery(database, window, catalogue, options.rowLimit))).map((row) => ({ id: str(row['id']), price: num(row['price']) }));
  progress('events per item');
  const itemEvents: ItemEvents[] = (await reader.rows(eventsPerItemQuery(database, window, options.rowLimit))).map((row) => ({ itemId: str(row['item_id']), events: num(row['events']) }));
  progress('ingest delays and future-dated events');
  const delays: DelaySeries[] = [];
  const future: FutureEvents[] = [];
  for (const table of ['interactions', 'exposures'] as const) {
    delays.push(...decodeDelays(table, await reader.rows(delaysQuery(database, table, window, options.lateAfterMs, options.futureToleranceMs))));
    const [counts = {}] = await reader.rows(futureEventsQuery(database, table, window, options.nowMs, options.futureToleranceMs));
    const samples = num(counts['future']) > 0 ? await reader.rows(futureSamplesQuery(database, table, window, options.nowMs, options.futureToleranceMs, 20)) : [];
    future.push({
      table,
      count: num(counts['future']),
      afterIngest: num(counts['after_ingest']),
      afterNow: num(counts['after_now']),
      samples: samples.map((row) => ({ id: str(row['id']), userId: str(row['user_id']), eventTimeMs: num(row['event_ms']), ingestTimeMs: num(row['ingest_ms']) })),
    });
  }
  return { hourly, tables, prices, itemEvents, delays, future };
}
