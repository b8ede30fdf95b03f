import { STITCHED_EVENT_PREFIX } from '@streamrec/streams-common';
import type { TableName } from './catalogue.js';
import { sql } from '@streamrec/foundation';
import type { CatalogueScope, DataWindow } from './window.js';

/**
 * The read-only SQL of a run, built from validated values only (sql.* quotes every one). ClickHouse 18.16
 * dialect: no WITH subqueries, one JOIN per SELECT (none needed here), FINAL for current versions.
 */

/** A required value and the condition that says it is missing (on the table's current rows). */
interface RequiredValue {
  readonly column: string;
  readonly missing: string;
}

interface TableSpec {
  /** Rows in the run's scope, before FINAL (the same condition is used with FINAL). */
  readonly scope: (window: DataWindow, catalogue: CatalogueScope, database: string) => string;
  /** Rows that count as current data (changelog tables: not deleted). */
  readonly current: string;
  readonly required: readonly RequiredValue[];
}

const timeRange = (column: string, msColumn: string, window: DataWindow): string =>
  `${column} >= ${sql.dateTime(window.fromMs)} AND ${column} <= ${sql.dateTime(window.toMs)} AND ${msColumn} >= ${sql.uint(window.fromMs)} AND ${msColumn} < ${sql.uint(window.toMs)}`;

/** A DateTime column in [from, to) at second resolution. */
const dateTimeRange = (column: string, window: DataWindow): string => `${column} >= ${sql.dateTime(window.fromMs)} AND ${column} < ${sql.dateTime(Math.ceil(window.toMs / 1_000) * 1_000)}`;

const notStitched = `NOT startsWith(event_id, ${sql.string(STITCHED_EVENT_PREFIX)})`;
const blank = (column: string): RequiredValue => ({ column, missing: `${column} = ''` });
const zero = (column: string): RequiredValue => ({ column, missing: `${column} = 0` });
const epochZero = (column: string): RequiredValue => ({ column, missing: `toUnixTimestamp(${column}) = 0` });
const catalogueScope = (window: DataWindow, scope: CatalogueScope): string => (scope === 'all' ? '1' : dateTimeRange('updated_at', window));

export const TABLE_SPECS: Readonly<Record<TableName, TableSpec>> = {
  interactions: {
    scope: (window) => timeRange('event_time', 'event_time_ms', window),
    current: '1',
    required: [
      blank('event_id'),
      blank('user_id'),
      zero('item_id'),
      zero('event_time_ms'),
      zero('ingest_time_ms'),
      { column: 'price (cart, purchase)', missing: `action IN ('cart', 'purchase') AND isNull(price)` },
      { column: 'quantity (cart, purchase)', missing: `action IN ('cart', 'purchase') AND isNull(quantity)` },
    ],
  },
  exposures: {
    scope: (window) => timeRange('event_time', 'event_time_ms', window),
    current: '1',
    // An exposure without items is a valid (empty) answer, not a missing value.
    required: [blank('request_id'), blank('user_id'), zero('event_time_ms'), zero('ingest_time_ms')],
  },
  items: {
    scope: (window, scope) => catalogueScope(window, scope),
    current: 'deleted = 0',
    required: [blank('title'), blank('industry'), blank('status'), epochZero('created_at'), { column: 'price (negative)', missing: 'price < 0' }],
  },
  users: {
    scope: (window, scope) => catalogueScope(window, scope),
    current: 'deleted = 0',
    required: [epochZero('created_at'), epochZero('updated_at')],
  },
  orders: {
    scope: (window) => dateTimeRange('created_at', window),
    current: 'deleted = 0',
    required: [blank('user_id'), blank('status'), blank('currency'), epochZero('created_at'), { column: 'paid_at (paid orders)', missing: `status = 'paid' AND isNull(paid_at)` }, { column: 'total_amount (negative)', missing: 'total_amount < 0' }],
  },
  order_items: {
    scope: (window, _scope, database) => `order_id IN (SELECT id FROM ${sql.table(database, 'orders')} WHERE ${dateTimeRange('created_at', window)})`,
    current: 'deleted = 0',
    required: [zero('order_id'), zero('item_id'), zero('quantity'), { column: 'price (negative)', missing: 'price < 0' }],
  },
};

export const requiredColumns = (table: TableName): string[] => TABLE_SPECS[table].required.map((value) => value.column);

/** Rows in scope as stored (every version, every duplicate). */
export function rowCountQuery(database: string, table: TableName, window: DataWindow, catalogue: CatalogueScope): string {
  return `SELECT count() AS rows FROM ${sql.table(database, table)} WHERE ${TABLE_SPECS[table].scope(window, catalogue, database)}`;
}

/** With FINAL: keys (newest versions), current rows, and current rows missing each required value (m0…) or any (missing_any). */
export function finalHealthQuery(database: string, table: TableName, window: DataWindow, catalogue: CatalogueScope): string {
  const spec = TABLE_SPECS[table];
  const perColumn = spec.required.map((value, index) => `countIf(${spec.current} AND (${value.missing})) AS m${index}`);
  const any = spec.required.map((value) => `(${value.missing})`).join(' OR ');
  return [
    `SELECT count() AS rows_final, countIf(${spec.current}) AS current_rows, ${perColumn.join(', ')}, countIf(${spec.current} AND (${any})) AS missing_any`,
    `FROM ${sql.table(database, table)} FINAL`,
    `WHERE ${spec.scope(window, catalogue, database)}`,
  ].join(' ');
}

/** Events per hour and series: interactions by source (stitched copies left out), exposures as one series. */
export function hourlyEventsQueries(database: string, window: DataWindow): string[] {
  const hour = 'intDiv(event_time_ms, 3600000) * 3600000';
  return [
    `SELECT ${hour} AS hour_ms, toString(source) AS series, count() AS events FROM ${sql.table(database, 'interactions')} WHERE ${TABLE_SPECS.interactions.scope(window, 'all', database)} AND ${notStitched} GROUP BY hour_ms, series`,
    `SELECT ${hour} AS hour_ms, 'exposures' AS series, count() AS events FROM ${sql.table(database, 'exposures')} WHERE ${TABLE_SPECS.exposures.scope(window, 'all', database)} GROUP BY hour_ms`,
  ];
}

/** Current, not deleted catalogue prices (free items included; the check separates them). */
export function cataloguePricesQuery(database: string, window: DataWindow, catalogue: CatalogueScope, limit: number): string {
  return `SELECT toString(id) AS id, toFloat64(price) AS price FROM ${sql.table(database, 'items')} FINAL WHERE deleted = 0 AND ${TABLE_SPECS.items.scope(window, catalogue, database)} ORDER BY id LIMIT ${sql.uint(limit)}`;
}

/** Distinct events per item in the window (stitched copies left out: the item counted the original). */
export function eventsPerItemQuery(database: string, window: DataWindow, limit: number): string {
  return `SELECT toString(item_id) AS item_id, uniqExact(event_id) AS events FROM ${sql.table(database, 'interactions')} WHERE ${TABLE_SPECS.interactions.scope(window, 'all', database)} AND ${notStitched} GROUP BY item_id ORDER BY events DESC LIMIT ${sql.uint(limit)}`;
}

/** Upper edges (ms) of the ingest-delay buckets after "future" and "< 1 s": fixed edges plus the late threshold. */
export function delayEdges(lateAfterMs: number): number[] {
  return [...new Set([1_000, 10_000, 60_000, lateAfterMs, 3_600_000, 21_600_000, 86_400_000])].sort((a, b) => a - b);
}

/** Ingest − event time per series: counts, late ones, quantiles, and a count per delay bucket (b0 = future … bN). */
export function delaysQuery(database: string, table: 'interactions' | 'exposures', window: DataWindow, lateAfterMs: number, toleranceMs: number): string {
  const edges = delayEdges(lateAfterMs);
  const lower = [-toleranceMs, ...edges];
  const buckets = [`countIf(d < ${sql.number(-toleranceMs)}) AS b0`, ...lower.map((from, index) => `countIf(d >= ${sql.number(from)}${index < edges.length ? ` AND d < ${sql.uint(edges[index] ?? 0)}` : ''}) AS b${index + 1}`)];
  const series = table === 'interactions' ? 'toString(source)' : `'exposures'`;
  const filter = table === 'interactions' ? ` AND ${notStitched}` : '';
  return [
    `SELECT series, count() AS events, countIf(d > ${sql.uint(lateAfterMs)}) AS late, quantiles(0.5, 0.95, 0.99)(d) AS q, max(d) AS max_d, ${buckets.join(', ')}`,
    `FROM (SELECT ${series} AS series, toInt64(ingest_time_ms) - toInt64(event_time_ms) AS d FROM ${sql.table(database, table)} WHERE ${TABLE_SPECS[table].scope(window, 'all', database)}${filter})`,
    'GROUP BY series ORDER BY series',
  ].join(' ');
}

/** Events dated in the window or ingested in it whose event time is after their ingest time, or after now, beyond the tolerance. */
function futureCondition(window: DataWindow, nowMs: number, toleranceMs: number): string {
  const inWindow = (column: string): string => `(${column} >= ${sql.uint(window.fromMs)} AND ${column} < ${sql.uint(window.toMs)})`;
  return `(${inWindow('event_time_ms')} OR ${inWindow('ingest_time_ms')}) AND (event_time_ms > ingest_time_ms + ${sql.uint(toleranceMs)} OR event_time_ms > ${sql.uint(nowMs + toleranceMs)})`;
}

export function futureEventsQuery(database: string, table: 'interactions' | 'exposures', window: DataWindow, nowMs: number, toleranceMs: number): string {
  return `SELECT count() AS future, countIf(event_time_ms > ingest_time_ms + ${sql.uint(toleranceMs)}) AS after_ingest, countIf(event_time_ms > ${sql.uint(nowMs + toleranceMs)}) AS after_now FROM ${sql.table(database, table)} WHERE ${futureCondition(window, nowMs, toleranceMs)}`;
}

export function futureSamplesQuery(database: string, table: 'interactions' | 'exposures', window: DataWindow, nowMs: number, toleranceMs: number, limit: number): string {
  const id = table === 'interactions' ? 'event_id' : 'request_id';
  return `SELECT ${id} AS id, user_id, toString(event_time_ms) AS event_ms, toString(ingest_time_ms) AS ingest_ms FROM ${sql.table(database, table)} WHERE ${futureCondition(window, nowMs, toleranceMs)} ORDER BY event_time_ms DESC, id LIMIT ${sql.uint(limit)}`;
}
