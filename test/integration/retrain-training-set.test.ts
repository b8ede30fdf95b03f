/**
 * The training-set SQL against the real ClickHouse (18.16) of the local stack: crafted exposures and
 * interactions under a unique user prefix prove that a label comes only from the same user's
 * interactions with the same item strictly after the exposure and within the label window, with the
 * features as logged. Rows are removed afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseTrainingSource, featureAligner, featureListsQuery, trainingSetQuery, type TrainingRow } from '@streamrec/retrain/app';
import { createClickHouse } from '../helpers/clickhouse.js';
import { uniqueSuffix } from '../helpers/stack.js';
import { deleteCraftedRows, insertExposures, insertInteractions, type CraftedExposure, type CraftedInteraction } from '../helpers/retrain-data.js';

const suffix = uniqueSuffix();
const prefix = `rl-${suffix}-`;
const marker = `test.retrain-leak.${suffix}`;
const user = `${prefix}a`;
const otherUser = `${prefix}b`;
const base = 8_500_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
const item = (n: number): number => base + n;
const W = 3_600_000; // label window
const t0 = Date.now() - 10 * 86_400_000 + Math.floor(Math.random() * 1000);
const LOGGED = ['fused_score', 'item_ctr'];
const COLUMNS = ['fused_score', 'item_ctr', 'ch_popular'];

const clickhouse = createClickHouse();

const r1Items = 'ABCDEFGHIJK'.split('').map((letter, index) => ({ letter, itemId: item(index + 1), features: [index / 10, 1 + index / 100], shown: letter === 'J' ? (0 as const) : (1 as const) }));
const byLetter = (letter: string): number => r1Items.find((entry) => entry.letter === letter)?.itemId ?? -1;

const exposures: CraftedExposure[] = [
  { requestId: `${prefix}r1`, userId: user, timeMs: t0, featureNames: LOGGED, items: r1Items },
  // nothing follows it (C's click came before): not a training request
  { requestId: `${prefix}r2`, userId: user, timeMs: t0 + 3 * W, featureNames: LOGGED, items: [{ itemId: byLetter('C'), features: [0.5, 0.5] }, { itemId: item(12), features: [0.6, 0.6] }] },
  // degraded answer without features: skipped even though a purchase follows
  { requestId: `${prefix}r3`, userId: user, timeMs: t0 + 4 * W, featureNames: [], items: [{ itemId: item(13), features: [] }], degraded: ['ranker_failed'] },
  // logged with another feature list: mapped by name, the missing ch_popular is NaN
  { requestId: `${prefix}r4`, userId: otherUser, timeMs: t0 + 5 * W, featureNames: ['item_ctr', 'user_views_log', 'fused_score'], items: [{ itemId: item(14), features: [0.7, 9, 0.3] }, { itemId: item(15), features: [0.1, 1, 0.2] }] },
  // delivered twice (same sorting key): counts once
  { requestId: `${prefix}r5`, userId: user, timeMs: t0 + 6 * W, featureNames: LOGGED, items: [{ itemId: item(16), features: [0.25, 0.75] }] },
  { requestId: `${prefix}r5`, userId: user, timeMs: t0 + 6 * W, featureNames: LOGGED, items: [{ itemId: item(16), features: [0.25, 0.75] }] },
  // at the window's end (exclusive): left out
  { requestId: `${prefix}r6`, userId: user, timeMs: t0 + 7 * W, featureNames: LOGGED, items: [{ itemId: item(17), features: [0.9, 0.9] }] },
];

const interactions: CraftedInteraction[] = [
  { userId: user, itemId: byLetter('A'), action: 'purchase', timeMs: t0 - 1000 }, // before the exposure
  { userId: user, itemId: byLetter('B'), action: 'purchase', timeMs: t0 }, // the same millisecond
  { userId: user, itemId: byLetter('C'), action: 'click', timeMs: t0 + 1 }, // just after
  { userId: user, itemId: byLetter('D'), action: 'purchase', timeMs: t0 + W }, // at the end of the label window (inclusive)
  { userId: user, itemId: byLetter('E'), action: 'cart', timeMs: t0 + W + 1 }, // after the label window
  { userId: user, itemId: byLetter('F'), action: 'view', timeMs: t0 + 10 }, // the strongest of three counts
  { userId: user, itemId: byLetter('F'), action: 'cart', timeMs: t0 + 20 },
  { userId: user, itemId: byLetter('F'), action: 'download', timeMs: t0 + 30 },
  { userId: otherUser, itemId: byLetter('G'), action: 'favorite', timeMs: t0 + 100 }, // another user
  { userId: user, itemId: item(99), action: 'purchase', timeMs: t0 + 50 }, // another (not exposed) item
  { userId: user, itemId: byLetter('I'), action: 'favorite', timeMs: t0 + 5 },
  { userId: user, itemId: byLetter('J'), action: 'download', timeMs: t0 + 5 }, // an unshown candidate's label counts too
  { userId: user, itemId: byLetter('K'), action: 'view', timeMs: t0 + 7 },
  { userId: user, itemId: item(13), action: 'purchase', timeMs: t0 + 4 * W + 10 },
  { userId: otherUser, itemId: item(14), action: 'click', timeMs: t0 + 5 * W + 500 },
  { userId: user, itemId: item(16), action: 'click', timeMs: t0 + 6 * W + 500 },
  { userId: user, itemId: item(17), action: 'click', timeMs: t0 + 7 * W + 500 },
];

// The window starts before R1, so the interactions at and before R1 are read and only the join condition can keep them out.
const query = { database: 'streamrec', fromMs: t0 - W, toMs: t0 + 7 * W, labelWindowMs: W, userIdPrefix: prefix };

async function trainingRows(): Promise<TrainingRow[]> {
  const rows: TrainingRow[] = [];
  const source = createClickHouseTrainingSource(clickhouse);
  // As a run does it: the window's logged lists first, then the rows of those lists aligned to the columns.
  const lists = await source.featureLists(featureListsQuery(query));
  const align = featureAligner(COLUMNS, lists);
  for await (const row of source.rows(trainingSetQuery({ ...query, featureNames: COLUMNS, featureListIds: lists.map((list) => list.id) }), { align, onProgress: () => undefined, progressIntervalMs: 1000 })) rows.push(row);
  return rows;
}

beforeAll(async () => {
  await insertExposures(clickhouse, marker, exposures);
  await insertInteractions(clickhouse, marker, interactions);
});

afterAll(async () => {
  await deleteCraftedRows(clickhouse, { marker, items: { first: base, last: base + 100 } });
  await clickhouse.close();
});

describe('training set (needs the local stack: ClickHouse)', () => {
  it('labels each exposed item with the strongest action of the same user after it, within the label window, and nothing else', async () => {
    const rows = await trainingRows();
    const grades: Record<string, number> = {};
    for (const row of rows.filter((entry) => entry.requestId === `${prefix}r1`)) grades[r1Items.find((entry) => entry.itemId === Number(row.itemId))?.letter ?? '?'] = row.grade;
    expect(grades).toEqual({ A: 0, B: 0, C: 2, D: 5, E: 0, F: 4, G: 0, H: 0, I: 3, J: 3, K: 1 });
  });

  it('keeps only requests with a positive label and features, once each, in [from, to), in time order', async () => {
    const rows = await trainingRows();
    expect(rows.map((row) => [row.requestId.slice(prefix.length), Number(row.itemId) - base, row.grade])).toEqual([
      ...r1Items.map((entry) => ['r1', entry.itemId - base, { A: 0, B: 0, C: 2, D: 5, E: 0, F: 4, G: 0, H: 0, I: 3, J: 3, K: 1 }[entry.letter]]),
      ['r4', 14, 2],
      ['r4', 15, 0],
      ['r5', 16, 2],
    ]);
    expect(rows.map((row) => row.exposureMs)).toEqual([...r1Items.map(() => t0), t0 + 5 * W, t0 + 5 * W, t0 + 6 * W]);
  });

  it('uses the logged features, mapped by name to the run columns, NaN for a name the row lacks', async () => {
    const rows = await trainingRows();
    const features = (itemId: number): number[] => [...(rows.find((row) => Number(row.itemId) === itemId)?.features ?? [])];
    expect(features(byLetter('C'))).toEqual([Math.fround(0.2), Math.fround(1.02), Number.NaN]);
    expect(features(item(14))).toEqual([Math.fround(0.3), Math.fround(0.7), Number.NaN]);
    expect(features(item(15))).toEqual([Math.fround(0.2), Math.fround(0.1), Number.NaN]);
  });

  it("reports ClickHouse's progress while a long query runs", async () => {
    const progress: { readRows: number; elapsedSeconds: number }[] = [];
    const slow = "SELECT 'r' AS request_id, toUInt64(0) AS exposure_ms, toUInt64(0) AS item_id, toUInt8(0) AS grade, '1' AS feature_list, [toFloat32(0)] AS features FROM numbers(3) WHERE sleep(1.5) != 0";
    const rows: TrainingRow[] = [];
    for await (const row of createClickHouseTrainingSource(clickhouse).rows(slow, { align: featureAligner(['fused_score'], [{ id: '1', featureNames: ['fused_score'] }]), onProgress: (sample) => progress.push(sample), progressIntervalMs: 250 })) rows.push(row);
    expect(rows).toEqual([]);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)?.elapsedSeconds).toBeGreaterThan(0.5);
  });

  it('finds the feature list logged on most item rows of the window', async () => {
    const result = await clickhouse.query({ query: featureListsQuery(query), format: 'JSONEachRow' });
    const lists = await result.json<{ feature_names: string[]; item_rows: string }>();
    expect(lists.map((list) => [list.feature_names, Number(list.item_rows)])).toEqual([
      [LOGGED, 14],
      [['item_ctr', 'user_views_log', 'fused_score'], 2],
    ]);
  });
});
