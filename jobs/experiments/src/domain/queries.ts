import { sql } from '@streamrec/foundation';

/**
 * The readout's SQL (ClickHouse 18.16: one JOIN per SELECT with ANY/ALL, no WITH subqueries, no query
 * parameters — every value goes through `sql`). Exposures are read without FINAL and without their
 * feature arrays: a re-delivered exposure collapses by GROUP BY request_id, which is cheap, where FINAL
 * would merge the feature arrays too. Interactions count once by uniqExact; stitched copies ('stitch:'
 * event ids, an anonymous visitor's events re-attributed at login) are left out, the original counts.
 */

export interface DataWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface ExperimentScope {
  readonly database: string;
  readonly experiment: string;
  readonly window: DataWindow;
}

/** Clicks may carry a timestamp slightly before their answer's (client clocks): read from this far before the window. */
export const CLOCK_SKEW_MS = 3_600_000;

/** The window on a table with event_time (seconds, in the sorting key) and event_time_ms (exact). */
function windowCondition(window: DataWindow): string {
  return `event_time >= ${sql.dateTime(window.fromMs)} AND event_time <= ${sql.dateTime(window.toMs)} AND event_time_ms >= ${sql.uint(window.fromMs)} AND event_time_ms < ${sql.uint(window.toMs)}`;
}

const experimentExposures = (scope: ExperimentScope): string => `${sql.table(scope.database, 'exposures')} WHERE experiment = ${sql.string(scope.experiment)} AND ${windowCondition(scope.window)}`;

/** Experiments with exposures in the window (one, or every one when `experiment` is undefined): span and size. */
export function experimentsQuery(database: string, window: DataWindow, experiment: string | undefined): string {
  const which = experiment === undefined ? "experiment != ''" : `experiment = ${sql.string(experiment)}`;
  return `SELECT experiment, min(event_time_ms) AS first_ms, max(event_time_ms) AS last_ms, uniqExact(user_id) AS users, uniqExact(request_id) AS requests
FROM ${sql.table(database, 'exposures')}
WHERE ${which} AND ${windowCondition(window)}
GROUP BY experiment
ORDER BY experiment`;
}

/**
 * Per user, variant and bucket (of the answer's time): answers, shown items, degraded answers, and the
 * distinct items clicked and downloaded from those answers — attributed by request_id, whenever the
 * interaction arrived (an answer's clicks may come after the window's end).
 */
export function activityQuery(scope: ExperimentScope, bucketMs: number, rowLimit: number): string {
  const bucket = sql.uint(bucketMs);
  return `SELECT user_id, variant, intDiv(served_ms, ${bucket}) * ${bucket} AS bucket_ms,
       count() AS requests, sum(shown) AS exposures, sum(degraded) AS degraded_requests,
       sum(clicks) AS clicks, sum(downloads) AS downloads
FROM
(
    SELECT request_id, any(user_id) AS user_id, any(variant) AS variant, min(event_time_ms) AS served_ms,
           any(arraySum(items.shown)) AS shown, max(notEmpty(degraded_reasons)) AS degraded
    FROM ${experimentExposures(scope)}
    GROUP BY request_id
)
ANY LEFT JOIN
(
    SELECT request_id, uniqExactIf(item_id, action = 'click') AS clicks, uniqExactIf(item_id, action = 'download') AS downloads
    FROM ${sql.table(scope.database, 'interactions')}
    WHERE action IN ('click', 'download') AND NOT startsWith(event_id, 'stitch:')
      AND event_time >= ${sql.dateTime(Math.max(0, scope.window.fromMs - CLOCK_SKEW_MS))}
      AND request_id IN (SELECT request_id FROM ${experimentExposures(scope)})
    GROUP BY request_id
) USING request_id
GROUP BY user_id, variant, bucket_ms
ORDER BY bucket_ms, variant, user_id
LIMIT ${sql.uint(rowLimit + 1)}`;
}

/**
 * Per exposed user and bucket (of the purchase's time): purchases and revenue (price × quantity, 1 unit
 * when the quantity is missing) at or after the user's first exposure in the window and before its end.
 * User-level: purchases reach ClickHouse from the shop's orders, without a request_id.
 */
export function purchasesQuery(scope: ExperimentScope, bucketMs: number, rowLimit: number): string {
  const bucket = sql.uint(bucketMs);
  return `SELECT user_id, intDiv(purchased_ms, ${bucket}) * ${bucket} AS bucket_ms, count() AS purchases, sum(amount) AS revenue
FROM
(
    SELECT user_id, purchased_ms, amount, first_ms
    FROM
    (
        SELECT event_id, any(buyer) AS user_id, any(event_time_ms) AS purchased_ms, any(line_amount) AS amount
        FROM
        (
            SELECT event_id, user_id AS buyer, event_time_ms, toFloat64(ifNull(price, toDecimal64(0, 2))) * ifNull(quantity, 1) AS line_amount
            FROM ${sql.table(scope.database, 'interactions')}
            WHERE action = 'purchase' AND NOT startsWith(event_id, 'stitch:') AND ${windowCondition(scope.window)}
              AND user_id IN (SELECT user_id FROM ${experimentExposures(scope)})
        )
        GROUP BY event_id
    )
    ANY INNER JOIN
    (
        SELECT user_id, min(event_time_ms) AS first_ms
        FROM ${experimentExposures(scope)}
        GROUP BY user_id
    ) USING user_id
)
WHERE purchased_ms >= first_ms
GROUP BY user_id, bucket_ms
ORDER BY bucket_ms, user_id
LIMIT ${sql.uint(rowLimit + 1)}`;
}

/** Per variant and degradation reason: the answers that carried it (an answer may carry several). */
export function degradedReasonsQuery(scope: ExperimentScope): string {
  return `SELECT exposed_variant AS variant, reason, count() AS requests
FROM
(
    SELECT request_id, any(variant) AS exposed_variant, any(degraded_reasons) AS reasons
    FROM ${experimentExposures(scope)}
    GROUP BY request_id
)
ARRAY JOIN reasons AS reason
GROUP BY variant, reason
ORDER BY variant, requests DESC, reason`;
}

// Seconds for a short test or a first look right after the start, days for a real experiment.
const BUCKET_STEPS_MS = [10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 86_400_000] as const;

/** The finest bucket (10 s … 1 day, aligned to UTC) that cuts the span into at most `maxBuckets`; days beyond. */
export function bucketFor(firstMs: number, lastMs: number, maxBuckets = 48): number {
  for (const step of BUCKET_STEPS_MS) {
    const buckets = Math.floor(lastMs / step) - Math.floor(firstMs / step) + 1;
    if (buckets <= maxBuckets) return step;
  }
  return 86_400_000;
}
