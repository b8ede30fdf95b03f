import { TABLES } from '../domain/catalogue.js';
import type { TopicRead, TopicRecord, WarehouseMeasurements } from '../domain/measurements.js';
import { requiredColumns } from '../domain/queries.js';
import { parseSettings, type DqSettings } from '../settings.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@streamrec/foundation/process';

/** The repository's config/data-quality.yaml, parsed. */
export function repoSettings(): DqSettings {
  const path = join(repoRoot, 'config', 'data-quality.yaml');
  return parseSettings(readFileSync(path, 'utf8'), path);
}

export const HOUR = 3_600_000;
/** A window of 6 hours far in the past. */
export const WINDOW = { fromMs: Date.UTC(2001, 2, 10, 0), toMs: Date.UTC(2001, 2, 10, 6) };

/**
 * Healthy measurements: events every hour, no missing values or duplicates, 20 even prices, 10 items
 * with similar popularity, no late or future event. Tests change one thing at a time.
 */
export function healthyMeasurements(): WarehouseMeasurements {
  return {
    hourly: [0, 1, 2, 3, 4, 5].flatMap((hour) => [
      { hourMs: WINDOW.fromMs + hour * HOUR, series: 'matomo', count: 10 },
      { hourMs: WINDOW.fromMs + hour * HOUR, series: 'exposures', count: 5 },
    ]),
    tables: TABLES.map((table) => ({ table, rows: 100, rowsFinal: 100, currentRows: 100, missingRows: 0, missingByColumn: requiredColumns(table).map((column) => ({ column, rows: 0 })) })),
    prices: Array.from({ length: 20 }, (_, index) => ({ id: String(1000 + index), price: 10 + index })),
    itemEvents: Array.from({ length: 10 }, (_, index) => ({ itemId: String(1000 + index), events: 9 + (index % 3) })),
    delays: [
      { table: 'interactions', series: 'matomo', events: 60, late: 0, p50Ms: 800, p95Ms: 2_000, p99Ms: 3_000, maxMs: 4_000, buckets: [0, 40, 20, 0, 0, 0, 0, 0, 0] },
      { table: 'exposures', series: 'exposures', events: 30, late: 0, p50Ms: 5, p95Ms: 20, p99Ms: 30, maxMs: 40, buckets: [0, 30, 0, 0, 0, 0, 0, 0, 0] },
    ],
    future: [
      { table: 'interactions', count: 0, afterIngest: 0, afterNow: 0, samples: [] },
      { table: 'exposures', count: 0, afterIngest: 0, afterNow: 0, samples: [] },
    ],
  };
}

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

let deadLetterSourceOffset = 0;

/** A dead letter of its own source record (each call names another offset). */
export function deadLetterRecord(processor: string, reason: string, timestampMs = WINDOW.fromMs + HOUR): TopicRecord {
  deadLetterSourceOffset += 1;
  const source = { topic: 'x', partition: 0, offset: String(deadLetterSourceOffset) };
  return { topic: `dlq.${processor}`, partition: 0, offset: '0', timestampMs, value: bytes({ processor, code: 'REC_PAYLOAD_INVALID', reason, source }) };
}

export function cdcRecord(topic: string, lagMs: number, committedMs = WINDOW.fromMs + HOUR): TopicRecord {
  return { topic, partition: 0, offset: '0', timestampMs: committedMs + lagMs, value: bytes({ op: 'c', after: { id: 1 }, source: { ts_ms: committedMs, snapshot: 'false' } }) };
}

export const topicRead = (records: readonly TopicRecord[], topics: readonly string[] = [...new Set(records.map((record) => record.topic))]): TopicRead => ({ topics, records, partial: false });
