import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { QueryProgress } from '../domain/extract-progress.js';
import type { FeatureAligner } from '../domain/feature-alignment.js';
import type { LoggedFeatureList } from '../domain/feature-choice.js';
import { sql } from '@streamrec/foundation';

/** One (request, item) row of the training-set query (domain/training-set-query.ts). */
export interface TrainingRow {
  readonly requestId: string;
  readonly exposureMs: number;
  readonly itemId: string;
  readonly grade: number;
  /** Aligned with the run's columns; NaN = missing. */
  readonly features: Float32Array;
  /** The item's place in the logged list: the shown items first, then the unshown candidates in ranked order. */
  readonly servedPosition: number;
}

/** What the run needs of ClickHouse to build a training set. */
export interface TrainingSource {
  featureLists(query: string): Promise<LoggedFeatureList[]>;
  /** Streams the rows of the training-set query, features aligned by `align`; `onProgress` gets ClickHouse's progress while it reads. */
  rows(query: string, options: RowsOptions): AsyncIterable<TrainingRow>;
}

export interface RowsOptions {
  readonly align: FeatureAligner;
  readonly onProgress: (progress: QueryProgress) => void;
  readonly progressIntervalMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** A row of the offline-scoring query (domain/training-set-query.ts): a training row with its request's variant and the score it was served with. */
export interface OfflineRow extends TrainingRow {
  readonly experiment: string;
  readonly variant: string;
  readonly servedScore: number;
}

/** What `retrain score` needs of ClickHouse: the logged lists and the offline-scoring rows. */
export interface OfflineRowSource {
  featureLists(query: string): Promise<LoggedFeatureList[]>;
  rows(query: string, options: RowsOptions): AsyncIterable<OfflineRow>;
}

interface RawRow {
  readonly request_id: string;
  readonly exposure_ms: string | number;
  readonly item_id: string | number;
  readonly grade: number;
  readonly feature_list: string;
  readonly features: readonly (number | null)[];
  readonly served_position: number | string;
}

interface RawOfflineRow extends RawRow {
  readonly experiment: string;
  readonly variant: string;
  readonly served_score: number | null;
}

function unavailable(what: string, cause: unknown): AppError {
  return new AppError(ErrorCode.DependencyUnavailable, `ClickHouse ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, retriable: true });
}

export function createClickHouseTrainingSource(client: ClickHouseClient): TrainingSource {
  return {
    featureLists: (query) => readFeatureLists(client, query),
    rows: (query, options) => streamRows(client, query, options, (raw: RawRow) => toTrainingRow(raw, options.align)),
  };
}

export function createClickHouseOfflineSource(client: ClickHouseClient): OfflineRowSource {
  return {
    featureLists: (query) => readFeatureLists(client, query),
    rows: (query, options) =>
      streamRows(client, query, options, (raw: RawOfflineRow) => ({
        ...toTrainingRow(raw, options.align),
        experiment: raw.experiment,
        variant: raw.variant,
        servedScore: raw.served_score === null ? Number.NaN : Number(raw.served_score),
      })),
  };
}

async function readFeatureLists(client: ClickHouseClient, query: string): Promise<LoggedFeatureList[]> {
  try {
    const result = await client.query({ query, format: 'JSONEachRow' });
    const rows = await result.json<{ feature_list: string; feature_names: string[]; item_rows: string | number }>();
    return rows.map((row) => ({ id: row.feature_list, featureNames: row.feature_names, itemRows: Number(row.item_rows) }));
  } catch (error) {
    throw unavailable('reading the logged feature lists', error);
  }
}

async function* streamRows<Raw, Row>(client: ClickHouseClient, query: string, options: RowsOptions, toRow: (raw: Raw) => Row): AsyncIterable<Row> {
  const queryId = `retrain-${randomUUID()}`;
  // The query aggregates before its first row, so ClickHouse's own counters are the only progress for a while.
  const poller = setInterval(() => {
    void readProgress(client, queryId).then(
      (progress) => {
        if (progress !== undefined) options.onProgress(progress);
      },
      () => undefined,
    );
  }, options.progressIntervalMs);
  try {
    let result;
    try {
      // Exposure rows are wide (~100 logged items × ~100 features): small blocks keep the read's memory bounded.
      result = await client.query({ query, format: 'JSONEachRow', query_id: queryId, clickhouse_settings: { max_block_size: '1024' }, ...(options.signal === undefined ? {} : { abort_signal: options.signal }) });
    } catch (error) {
      throw unavailable('training-set query', error);
    }
    for await (const batch of result.stream<Raw>()) {
      for (const row of batch) yield toRow(row.json());
    }
  } finally {
    clearInterval(poller);
  }
}

function toTrainingRow(raw: RawRow, align: FeatureAligner): TrainingRow {
  const features = align(raw.feature_list, raw.features);
  const exposureMs = Number(raw.exposure_ms);
  if (!Number.isSafeInteger(exposureMs)) throw new AppError(ErrorCode.PayloadInvalid, `training row of ${raw.request_id} has exposure time ${String(raw.exposure_ms)}`);
  return { requestId: raw.request_id, exposureMs, itemId: String(raw.item_id), grade: raw.grade, features, servedPosition: Number(raw.served_position) };
}

async function readProgress(client: ClickHouseClient, queryId: string): Promise<QueryProgress | undefined> {
  const result = await client.query({
    query: `SELECT read_rows, total_rows_approx, elapsed FROM system.processes WHERE query_id = ${sql.string(queryId)}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ read_rows: string | number; total_rows_approx: string | number; elapsed: number }>();
  return row === undefined ? undefined : { readRows: Number(row.read_rows), totalRowsApprox: Number(row.total_rows_approx), elapsedSeconds: Number(row.elapsed) };
}
