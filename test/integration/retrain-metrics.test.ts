/**
 * The gate's metrics (TypeScript) against the trainer's own (`python -m streamrec_trainer metrics`): the
 * same NDCG@10, HR@10 and AUC on the same rows, ties and groups without a positive included. Needs the
 * trainer's Python environment (.stack/venv, `npm run setup`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@streamrec/foundation';
import { DatasetWriter, float64LE, loadRetrainConfig, rankingMetrics, readSplit, trainerMetrics } from '@streamrec/retrain/app';

let dir = '';
const config = loadRetrainConfig();
const trainer = { python: config.python, onStderrLine: () => undefined };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retrain-metrics-'));
  const random = seededRandom(77);
  const writer = await DatasetWriter.create(join(dir, 'data'), ['item_ctr']);
  for (let request = 0; request < 400; request += 1) {
    const size = 1 + Math.floor(random() * 25); // some groups longer than 10, some of one row
    const rows = Array.from({ length: size }, () => ({ grade: random() < 0.15 ? 1 + Math.floor(random() * 5) : 0, features: Float32Array.of(random()) }));
    await writer.addRequest(request * 1000, rows);
  }
  await writer.finish({ valid: 0.1, holdout: 0.4 });
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('ranking metrics, TypeScript vs the trainer (needs .stack/venv)', () => {
  const scoreSets: [string, (random: () => number, rows: number) => number[]][] = [
    ['distinct scores', (random, rows) => Array.from({ length: rows }, () => random())],
    ['many ties', (random, rows) => Array.from({ length: rows }, () => Math.round(random() * 4) / 4)],
    ['one constant score (row order decides)', (_random, rows) => Array.from({ length: rows }, () => 0.5)],
  ];

  it.each(scoreSets)('agree on %s', async (label, makeScores) => {
    const holdout = await readSplit(join(dir, 'data'), 'holdout');
    const scores = makeScores(seededRandom(label.length), holdout.rows);
    const file = join(dir, `scores-${label.length}.f64`);
    await writeFile(file, float64LE(scores));
    const python = await trainerMetrics(trainer, join(dir, 'data'), 'holdout', file);
    const ours = rankingMetrics(holdout.labels, holdout.groups, scores);
    expect(ours.groups_evaluated).toBe(python.groups_evaluated);
    expect(ours.groups_evaluated).toBeLessThan(ours.groups); // some groups have no positive
    expect(ours.groups).toBe(python.groups);
    expect(ours.rows).toBe(python.rows);
    expect(ours.ndcg_at_10).toBeCloseTo(python.ndcg_at_10 ?? Number.NaN, 12);
    expect(ours.hr_at_10).toBeCloseTo(python.hr_at_10 ?? Number.NaN, 12);
    expect(ours.auc).toBeCloseTo(python.auc ?? Number.NaN, 12);
  });
});
