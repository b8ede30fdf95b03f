import type { TableName } from './catalogue.js';

/** What the ClickHouse queries measured, decoded (the input of the checks). */

export interface HourlyRow {
  readonly hourMs: number;
  readonly series: string;
  readonly count: number;
}

export interface TableHealth {
  readonly table: TableName;
  /** Rows in scope as stored (every version). */
  readonly rows: number;
  /** Keys: rows with FINAL (the newest version of each). */
  readonly rowsFinal: number;
  /** Newest versions that are current data (not deleted). */
  readonly currentRows: number;
  /** Current rows missing at least one required value. */
  readonly missingRows: number;
  readonly missingByColumn: readonly { readonly column: string; readonly rows: number }[];
}

export interface PricedItem {
  readonly id: string;
  readonly price: number;
}

export interface ItemEvents {
  readonly itemId: string;
  readonly events: number;
}

export interface DelaySeries {
  readonly table: 'interactions' | 'exposures';
  /** interactions: the source (matomo, shop, beacon); exposures: "exposures". */
  readonly series: string;
  readonly events: number;
  readonly late: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Counts per delay bucket: future, < 1 s, then up to each edge of `delayEdges`, then beyond. */
  readonly buckets: readonly number[];
}

export interface FutureEvents {
  readonly table: 'interactions' | 'exposures';
  readonly count: number;
  readonly afterIngest: number;
  readonly afterNow: number;
  readonly samples: readonly { readonly id: string; readonly userId: string; readonly eventTimeMs: number; readonly ingestTimeMs: number }[];
}

export interface WarehouseMeasurements {
  readonly hourly: readonly HourlyRow[];
  readonly tables: readonly TableHealth[];
  readonly prices: readonly PricedItem[];
  readonly itemEvents: readonly ItemEvents[];
  readonly delays: readonly DelaySeries[];
  readonly future: readonly FutureEvents[];
}

/** A record read from a topic (dead letters, CDC envelopes). */
export interface TopicRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestampMs: number;
  readonly value: Uint8Array | null;
}

export interface TopicRead {
  /** Topics that matched the prefix. */
  readonly topics: readonly string[];
  readonly records: readonly TopicRecord[];
  /** True when the read timed out before every partition's window was read. */
  readonly partial: boolean;
}

/** A topic read that did not happen (Kafka unreachable): the checks that need it are unmeasured. */
export interface TopicReadFailure {
  readonly error: string;
}

export type TopicReadResult = TopicRead | TopicReadFailure;

export const isReadFailure = (read: TopicReadResult): read is TopicReadFailure => 'error' in read;
