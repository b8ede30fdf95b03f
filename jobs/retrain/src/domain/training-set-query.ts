import { GRADE_BY_ACTION, type LabelAction } from './grades.js';
import { sql } from '@streamrec/foundation';

/**
 * The training set as SQL for ClickHouse 18.16 (no window functions, no query parameters, equality-only
 * JOIN keys, so the time conditions of the label join sit in a WHERE after an ALL INNER JOIN).
 *
 * Point-in-time correctness:
 * - features are the vectors the API logged on the exposure (what the ranker saw at serving time);
 *   nothing is looked up or computed after the exposure;
 * - a label comes only from interactions of the same user and item strictly after the exposure
 *   (interaction_ms > exposure_ms: one in the same millisecond cannot have been caused by it) and at
 *   most labelWindowMs after it (interaction_ms <= exposure_ms + labelWindowMs);
 * - the caller ends the exposure window at least labelWindowMs before now, so every label window has
 *   fully passed and a recent exposure is not mistaken for a negative.
 */
export interface TrainingSetQueryInput {
  /** Database of exposures and interactions (a plain identifier from config). */
  readonly database: string;
  /** Exposures with fromMs <= event_time_ms < toMs (UTC epoch milliseconds). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly labelWindowMs: number;
  /** The run's columns (the caller maps each row's logged features to them by name; absent names are NaN). */
  readonly featureNames: readonly string[];
  /** Ids (featureListsQuery's feature_list) of the logged lists whose rows are read. */
  readonly featureListIds: readonly string[];
  /** Only users whose id starts with this (tests use it to train on their own rows only). */
  readonly userIdPrefix?: string | undefined;
  /** Only exposures logged under this experiment id (offline scoring of one experiment's traffic). */
  readonly experiment?: string | undefined;
}

/**
 * Columns of a training-set row, in order: `features` as logged, in the order of the list `feature_list`
 * names (feature-alignment.ts maps them to the run's columns); `served_position` is the item's place in the
 * logged list (the shown items first, then the unshown candidates in their ranked order).
 */
export const TRAINING_SET_COLUMNS = ['request_id', 'exposure_ms', 'item_id', 'grade', 'feature_list', 'features', 'served_position'] as const;

/** Negatives kept per positive (a seeded hash picks them), and how many of them are the hardest (served highest). */
export interface NegativeSample {
  readonly negativesPerPositive: number;
  readonly seed: number;
  /** Share (0–1) of each request's negatives taken from the top of the served order instead of at random. */
  readonly hardShare: number;
}

const SERVED_POSITION: CarriedColumn = { outer: 'served_position', inner: 'item_positions', arrayJoined: 'items.position' };

const ACTIONS = Object.keys(GRADE_BY_ACTION) as LabelAction[];

function userFilter(prefix: string | undefined): string {
  return prefix === undefined ? '' : `\n      AND startsWith(user_id, ${sql.string(prefix)})`;
}

function experimentFilter(experiment: string | undefined): string {
  return experiment === undefined ? '' : `\n      AND experiment = ${sql.string(experiment)}`;
}

/** event_time (seconds, the partition and sort key) bounds the scan; event_time_ms is the exact condition. */
function exposureWindow(input: TrainingSetQueryInput): string {
  const from = sql.uint(input.fromMs);
  const to = sql.uint(input.toMs);
  return `event_time >= toDateTime(${sql.uint(Math.floor(input.fromMs / 1000))}, 'UTC') AND event_time <= toDateTime(${sql.uint(Math.floor(input.toMs / 1000))}, 'UTC')
      AND event_time_ms >= ${from} AND event_time_ms < ${to}${userFilter(input.userIdPrefix)}${experimentFilter(input.experiment)}`;
}

/** The id of a logged feature list in the training-set rows (a hash of the names, as text: UInt64 exceeds JSON numbers). */
const FEATURE_LIST_ID = 'toString(cityHash64(feature_names))';

/** The feature lists logged in the window with their id and number of item rows, most common first. */
export function featureListsQuery(input: Omit<TrainingSetQueryInput, 'featureNames' | 'featureListIds' | 'labelWindowMs'>): string {
  const db = sql.identifier(input.database);
  return `SELECT ${FEATURE_LIST_ID} AS feature_list, feature_names, sum(length(items.item_id)) AS item_rows
FROM ${db}.exposures FINAL
WHERE ${exposureWindow({ ...input, featureNames: [], featureListIds: [], labelWindowMs: 0 })}
      AND notEmpty(feature_names)
GROUP BY feature_names
ORDER BY item_rows DESC
LIMIT 50`;
}

/**
 * One row per logged (request, item) of a request with at least one positive label, ordered by request
 * time, then request, then item: request_id, exposure_ms, item_id, grade (0–5), the id of the row's
 * logged feature list and the features as logged (only lists in `featureListIds`). The caller aligns them
 * to the run's columns (feature-alignment.ts): mapping names inside the query took a lambda that
 * ClickHouse expands per feature and per row — quadratic in the feature count (16 GiB for 112 features).
 * Answers logged without features (degraded) are left out; an exposure re-delivered before a merge, and
 * an item logged twice in one answer, count once (LIMIT 1 BY request and item: no FINAL, whose merge of
 * these wide rows would hold whole granules in memory).
 *
 * Memory stays bounded whatever the window: the labels (only the positive pairs) and the per-request
 * counts are small hash tables; the logged rows stream through them, and only rows of requests with a
 * positive survive, each negative with probability min(1, oversample × negativesPerPositive × positives /
 * negatives) by a seeded hash (the exact per-request choice is the caller's, `sampleRequest`).
 */
export function trainingSetQuery(input: TrainingSetQueryInput & { readonly negativeSample?: NegativeSample }): string {
  return loggedRowsQuery(input, input.negativeSample, [SERVED_POSITION]);
}

/** Columns of an offline-scoring row: the training-set columns, then the request's experiment and variant and the item's score as served. */
export const OFFLINE_SCORING_COLUMNS = [...TRAINING_SET_COLUMNS, 'experiment', 'variant', 'served_score'] as const;

/**
 * Every logged (request, item) row of the requests with a positive label, as the training set reads them
 * (same labels, same point-in-time rules) but without negative sampling, with the request's experiment
 * and variant and the score the item was served with: what `retrain score` scores a model on.
 */
export function offlineScoringQuery(input: TrainingSetQueryInput): string {
  return loggedRowsQuery(input, undefined, [
    SERVED_POSITION,
    { outer: 'experiment', inner: 'experiment' },
    { outer: 'variant', inner: 'variant' },
    { outer: 'served_score', inner: 'item_scores', arrayJoined: 'items.score' },
  ]);
}

/**
 * A column carried from the exposure row to the output as `outer`: a request column (`inner` = `outer`),
 * or a per-item Nested column `arrayJoined`, selected as the array `inner` and unrolled with the items.
 */
interface CarriedColumn {
  readonly outer: string;
  readonly inner: string;
  readonly arrayJoined?: string;
}

function loggedRowsQuery(input: TrainingSetQueryInput, negativeSample: NegativeSample | undefined, carried: readonly CarriedColumn[]): string {
  if (input.featureNames.length === 0) throw new RangeError('a training set needs at least one feature');
  if (input.featureListIds.length === 0) throw new RangeError('a training set needs at least one logged feature list');
  const db = sql.identifier(input.database);
  const window = sql.uint(input.labelWindowMs);
  const labelEnd = input.toMs + input.labelWindowMs;
  const keep =
    negativeSample === undefined
      ? ''
      : `\nWHERE grade > 0${hardKeep(negativeSample)} OR cityHash64(${sql.uint(negativeSample.seed)}, request_id, item_id) % 1000000 < 1000000 * ${sql.number(NEGATIVE_OVERSAMPLE * negativeSample.negativesPerPositive)} * positives / greatest(1, logged_items - positives)`;
  const extra = carried.map((column) => `, ${column.outer}`).join('');
  const perRequest = carried.map((column) => (column.arrayJoined === undefined ? `, ${column.inner}` : `, ${column.arrayJoined} AS ${column.inner}`)).join('');
  const arrayJoined = carried.filter((column) => column.arrayJoined !== undefined).map((column) => `, ${column.inner} AS ${column.outer}`).join('');
  const labels = `SELECT request_id, item_id, max(interaction_grade) AS grade
        FROM
        (
            SELECT request_id, user_id, event_time_ms AS exposure_ms, item_id
            FROM ${db}.exposures
            ARRAY JOIN items.item_id AS item_id
            WHERE ${exposureWindow(input)}
        )
        ALL INNER JOIN
        (
            SELECT user_id, item_id, event_time_ms AS interaction_ms,
                transform(CAST(action AS String), ${sql.stringArray(ACTIONS)}, [${ACTIONS.map((action) => sql.uint(GRADE_BY_ACTION[action])).join(', ')}], 0) AS interaction_grade
            FROM ${db}.interactions
            WHERE event_time >= toDateTime(${sql.uint(Math.floor(input.fromMs / 1000))}, 'UTC') AND event_time <= toDateTime(${sql.uint(Math.ceil(labelEnd / 1000))}, 'UTC')
                  AND event_time_ms > ${sql.uint(input.fromMs)} AND event_time_ms <= ${sql.uint(labelEnd)}${userFilter(input.userIdPrefix).replace('\n      ', '\n                  ')}
        ) USING (user_id, item_id)
        WHERE interaction_ms > exposure_ms AND interaction_ms <= exposure_ms + ${window}
        GROUP BY request_id, item_id
        HAVING grade > 0`;
  return `SELECT request_id, exposure_ms, item_id, grade, feature_list, features${extra}
FROM
(
    SELECT request_id, exposure_ms, item_id, grade, positives, logged_items, feature_list, features${extra}
    FROM
    (
        SELECT request_id, exposure_ms, item_id, feature_list, features, positives, logged_items${extra}
        FROM
        (
            SELECT request_id, event_time_ms AS exposure_ms, item_id, width, logged_items, feature_list, item_features AS features${extra}
            FROM
            (
                SELECT request_id, event_time_ms, length(feature_names) AS width, ${FEATURE_LIST_ID} AS feature_list, length(items.item_id) AS logged_items, items.item_id AS item_ids, items.features AS item_feature_rows${perRequest}
                FROM ${db}.exposures
                WHERE ${exposureWindow(input)}
                      AND ${FEATURE_LIST_ID} IN (${input.featureListIds.map((id) => sql.string(id)).join(', ')})
            )
            ARRAY JOIN item_ids AS item_id, item_feature_rows AS item_features${arrayJoined}
            WHERE length(item_features) > 0 AND length(item_features) = width
            LIMIT 1 BY request_id, item_id
        )
        ANY INNER JOIN
        (
            SELECT request_id, count() AS positives
            FROM
            (
        ${labels}
            )
            GROUP BY request_id
        ) USING (request_id)
    )
    ANY LEFT JOIN
    (
        ${labels}
    ) USING (request_id, item_id)
)${keep}
ORDER BY exposure_ms, request_id, item_id`;
}

/**
 * The hardest negatives of a request sit among its first (hard quota + positives) served places: let all of
 * those through, so `sampleRequest` finds them (the hash lets only a random share of the others through).
 */
function hardKeep(sample: NegativeSample): string {
  if (sample.hardShare <= 0) return '';
  const perPositive = Math.ceil(sample.hardShare * sample.negativesPerPositive);
  return ` OR served_position < ${sql.uint(perPositive + 1)} * positives`;
}

/** Negatives let through per needed one: the caller's seeded choice then has enough to pick from. */
const NEGATIVE_OVERSAMPLE = 2;
