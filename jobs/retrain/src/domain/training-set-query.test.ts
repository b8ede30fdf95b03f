import { describe, expect, it } from 'vitest';
import { featureListsQuery, OFFLINE_SCORING_COLUMNS, offlineScoringQuery, trainingSetQuery, type TrainingSetQueryInput } from './training-set-query.js';
import { GRADE_BY_ACTION, gradeOf } from './grades.js';

const input: TrainingSetQueryInput = {
  database: 'streamrec',
  fromMs: 1_796_400_000_123,
  toMs: 1_796_486_400_456,
  labelWindowMs: 86_400_000,
  featureNames: ['fused_score', 'item_ctr'],
  featureListIds: ['1234', '98765432109876543210'],
};
const compact = (sql: string): string => sql.replace(/\s+/g, ' ');

describe('training-set SQL', () => {
  const sql = compact(trainingSetQuery(input));

  it('takes exposures in [from, to) by millisecond, with the second-level key bounding the scan', () => {
    expect(sql).toContain('event_time_ms >= 1796400000123 AND event_time_ms < 1796486400456');
    expect(sql).toContain("event_time >= toDateTime(1796400000, 'UTC') AND event_time <= toDateTime(1796486400, 'UTC')");
  });

  it('labels only with interactions strictly after the exposure and within the label window', () => {
    expect(sql).toContain('WHERE interaction_ms > exposure_ms AND interaction_ms <= exposure_ms + 86400000');
    expect(sql).toContain('ALL INNER JOIN');
    expect(sql).toContain('USING (user_id, item_id)');
    // interactions are read only up to the end of the last label window
    expect(sql).toContain('event_time_ms > 1796400000123 AND event_time_ms <= 1796572800456');
  });

  it('maps the action to the grade view 1 < click 2 < favorite 3 = download 3 < cart 4 < purchase 5, the label being the maximum', () => {
    expect(sql).toContain("transform(CAST(action AS String), ['view', 'click', 'favorite', 'download', 'cart', 'purchase'], [1, 2, 3, 3, 4, 5], 0) AS interaction_grade");
    expect(sql).toContain('max(interaction_grade) AS grade');
    expect(GRADE_BY_ACTION).toEqual({ view: 1, click: 2, favorite: 3, download: 3, cart: 4, purchase: 5 });
    expect(['view', 'click', 'favorite', 'download', 'cart', 'purchase', 'unknown'].map(gradeOf)).toEqual([1, 2, 3, 3, 4, 5, 0]);
  });

  it('returns the logged features as they are with the id of their list, only of the lists asked for (the caller maps them by name)', () => {
    expect(sql).toContain('toString(cityHash64(feature_names)) AS feature_list');
    expect(sql).toContain("AND toString(cityHash64(feature_names)) IN ('1234', '98765432109876543210')");
    expect(sql).toContain('item_features AS features');
    // Mapping by name in SQL needs a lambda ClickHouse expands per feature and per row (quadratic memory).
    expect(sql).not.toContain('arrayMap');
    expect(sql.startsWith('SELECT request_id, exposure_ms, item_id, grade, feature_list, features')).toBe(true);
  });

  it('leaves out answers without features and keeps only requests with a positive, in time order', () => {
    expect(sql).toContain('length(item_features) > 0 AND length(item_features) = width');
    expect(sql).toContain('HAVING grade > 0'); // the labels: positive pairs only
    expect(sql).toContain('ANY INNER JOIN'); // only requests with a positive get through
    // Re-delivered exposures count once by LIMIT 1 BY, not FINAL (whose merge of wide rows ran out of memory).
    expect(sql).not.toContain('exposures FINAL');
    expect(sql).toContain('LIMIT 1 BY request_id, item_id');
    expect(sql.trim().endsWith('ORDER BY exposure_ms, request_id, item_id')).toBe(true);
  });

  it('filters users by prefix only when asked, quoting the prefix', () => {
    expect(sql).not.toContain('startsWith');
    const filtered = compact(trainingSetQuery({ ...input, userIdPrefix: "t'x\\" }));
    // The exposures of the rows, and the exposures and interactions of both label subqueries.
    expect(filtered.match(/startsWith\(user_id, 't\\'x\\\\'\)/g)).toHaveLength(5);
  });

  it('lets every positive through and samples negatives by a seeded hash only when asked', () => {
    expect(sql).not.toContain('WHERE grade > 0 OR');
    const sampled = compact(trainingSetQuery({ ...input, negativeSample: { negativesPerPositive: 10, seed: 7, hardShare: 0 } }));
    expect(sampled).toContain('WHERE grade > 0 OR cityHash64(7, request_id, item_id) % 1000000 < 1000000 * 20 * positives / greatest(1, logged_items - positives)');
    // Hard negatives: the first (hard quota + 1) × positives served places all pass, for sampleRequest to choose from.
    const hard = compact(trainingSetQuery({ ...input, negativeSample: { negativesPerPositive: 10, seed: 7, hardShare: 0.5 } }));
    expect(hard).toContain('WHERE grade > 0 OR served_position < 6 * positives OR cityHash64(7, request_id, item_id)');
    expect(hard).toContain('ARRAY JOIN item_ids AS item_id, item_feature_rows AS item_features, item_positions AS served_position');
  });

  it('quotes list ids and refuses what cannot be quoted', () => {
    expect(compact(trainingSetQuery({ ...input, featureListIds: ["a'b"] }))).toContain("IN ('a\\'b')");
    expect(() => trainingSetQuery({ ...input, featureListIds: [] })).toThrow(/at least one logged feature list/);
    expect(() => trainingSetQuery({ ...input, database: 'streamrec; DROP TABLE x' })).toThrow(/plain SQL identifier/);
    expect(() => trainingSetQuery({ ...input, fromMs: 1.5 })).toThrow(/non-negative integer/);
    expect(() => trainingSetQuery({ ...input, featureNames: [] })).toThrow(/at least one feature/);
  });

  it('counts item rows per logged feature list in the same window', () => {
    const lists = compact(featureListsQuery({ database: 'streamrec', fromMs: input.fromMs, toMs: input.toMs, userIdPrefix: 'u-' }));
    expect(lists).toContain('SELECT toString(cityHash64(feature_names)) AS feature_list, feature_names, sum(length(items.item_id)) AS item_rows FROM streamrec.exposures FINAL');
    expect(lists).toContain('event_time_ms >= 1796400000123 AND event_time_ms < 1796486400456');
    expect(lists).toContain("startsWith(user_id, 'u-')");
    expect(lists).toContain('GROUP BY feature_names ORDER BY item_rows DESC');
  });

  it('reads the same rows for offline scoring, unsampled, with the request variant and the served score of each item', () => {
    const offline = compact(offlineScoringQuery({ ...input, experiment: "exp'1" }));
    expect(offline.startsWith(`SELECT ${OFFLINE_SCORING_COLUMNS.join(', ')} FROM`)).toBe(true);
    expect(offline).toContain('items.features AS item_feature_rows, items.position AS item_positions, experiment, variant, items.score AS item_scores');
    expect(offline).toContain('ARRAY JOIN item_ids AS item_id, item_feature_rows AS item_features, item_positions AS served_position, item_scores AS served_score');
    expect(offline).not.toContain('WHERE grade > 0 OR');
    // The experiment filter on the logged rows and on both label subqueries' exposures.
    expect(offline.match(/AND experiment = 'exp\\'1'/g)).toHaveLength(3);
    // The same point-in-time labels as the training set.
    expect(offline).toContain('WHERE interaction_ms > exposure_ms AND interaction_ms <= exposure_ms + 86400000');
    expect(compact(trainingSetQuery(input))).not.toContain('experiment');
  });
});
