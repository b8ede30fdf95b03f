import { AppError, ErrorCode } from '@streamrec/foundation';
import type { ActivityRow, PurchaseRow } from './activity.js';
import { activityQuery, bucketFor, degradedReasonsQuery, experimentsQuery, purchasesQuery, type DataWindow } from './queries.js';

/** What the readout needs from ClickHouse: read-only SELECTs, rows as JSON objects. */
export interface SqlReader {
  rows(query: string): Promise<Record<string, unknown>[]>;
}

export interface ExperimentOverview {
  readonly experiment: string;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly users: number;
  readonly requests: number;
}

/** Answers of a variant that carried a degradation reason (redis_timeout, ranker_unavailable, …). */
export interface DegradedReasonRow {
  readonly variant: string;
  readonly reason: string;
  readonly requests: number;
}

export interface ExperimentData {
  readonly bucketMs: number;
  readonly activity: ActivityRow[];
  readonly purchases: PurchaseRow[];
  readonly degradedReasons: DegradedReasonRow[];
}

/** ClickHouse sends 64-bit integers as strings: a number or a coded error naming the column. */
function numberOf(row: Record<string, unknown>, column: string): number {
  const value = row[column];
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed)) throw new AppError(ErrorCode.PayloadInvalid, `ClickHouse returned ${column} = ${JSON.stringify(value)}, not a number`);
  return parsed;
}

function textOf(row: Record<string, unknown>, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new AppError(ErrorCode.PayloadInvalid, `ClickHouse returned ${column} = ${JSON.stringify(value)}, not a string`);
  return value;
}

export async function readOverview(reader: SqlReader, database: string, window: DataWindow, experiment: string | undefined): Promise<ExperimentOverview[]> {
  return (await reader.rows(experimentsQuery(database, window, experiment))).map((row) => ({
    experiment: textOf(row, 'experiment'),
    firstMs: numberOf(row, 'first_ms'),
    lastMs: numberOf(row, 'last_ms'),
    users: numberOf(row, 'users'),
    requests: numberOf(row, 'requests'),
  }));
}

function limited<Row>(rows: Row[], rowLimit: number, what: string): Row[] {
  if (rows.length > rowLimit) {
    throw new AppError(ErrorCode.InvalidArgument, `more than ${rowLimit} ${what} rows: narrow the window (--since/--until) or raise STREAMREC_EXPERIMENTS_ROW_LIMIT`);
  }
  return rows;
}

/** One experiment's per-user rows, bucketed finely enough for the timeline (see bucketFor). */
export async function readExperiment(reader: SqlReader, database: string, window: DataWindow, overview: ExperimentOverview, rowLimit: number): Promise<ExperimentData> {
  const bucketMs = bucketFor(overview.firstMs, overview.lastMs);
  const scope = { database, experiment: overview.experiment, window };
  const activity = limited(await reader.rows(activityQuery(scope, bucketMs, rowLimit)), rowLimit, 'activity').map(
    (row): ActivityRow => ({
      userId: textOf(row, 'user_id'),
      variant: textOf(row, 'variant'),
      bucketMs: numberOf(row, 'bucket_ms'),
      requests: numberOf(row, 'requests'),
      exposures: numberOf(row, 'exposures'),
      degradedRequests: numberOf(row, 'degraded_requests'),
      clicks: numberOf(row, 'clicks'),
      downloads: numberOf(row, 'downloads'),
    }),
  );
  const purchases = limited(await reader.rows(purchasesQuery(scope, bucketMs, rowLimit)), rowLimit, 'purchase').map(
    (row): PurchaseRow => ({ userId: textOf(row, 'user_id'), bucketMs: numberOf(row, 'bucket_ms'), purchases: numberOf(row, 'purchases'), revenue: numberOf(row, 'revenue') }),
  );
  const degradedReasons = (await reader.rows(degradedReasonsQuery(scope))).map((row): DegradedReasonRow => ({ variant: textOf(row, 'variant'), reason: textOf(row, 'reason'), requests: numberOf(row, 'requests') }));
  return { bucketMs, activity, purchases, degradedReasons };
}
