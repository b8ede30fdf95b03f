import { describe, expect, it } from 'vitest';
import { mlflowGateMetrics, publicationLineage, publicationMetrics, type RunFacts } from './run-outputs.js';
import { parseTrainerReport, importanceMetrics } from './trainer-report.js';

const split = { ndcg_at_10: 0.5, hr_at_10: 0.9, auc: 0.8, groups_evaluated: 20, groups: 22, rows: 200 };
const reportJson = {
  format: 'streamrec-trainer-report-v1',
  trainer_version: '0.1.0',
  objective: { mode: 'auto', chosen: 'lambdarank', reason: 'auto', candidates: {} },
  params: { num_leaves: 63 },
  best_iteration: 12,
  num_trees: 12,
  feature_names: ['item_ctr', 'fused_score'],
  feature_importance: { item_ctr: { gain: 12.5, split: 7 }, fused_score: { gain: 1, split: 2 } },
  metrics: { valid: split, holdout: split },
  data: { train: { rows: 800, groups: 80 }, valid: { rows: 100, groups: 10 }, holdout: { rows: 100, groups: 10 } },
  train_seconds: 1.5,
  total_seconds: 3,
  onnx: { sha256: 'a'.repeat(64), size_bytes: 1000, input: { name: 'features' } },
  parity: { max_abs_diff: 1e-7, bound: 1e-5 },
  versions: { lightgbm: '4.7.0', onnxmltools: '1.16.0', python: '3.11.7', mlflow: null },
  mlflow_run_id: 'abc',
  mlflow_experiment_id: '1',
  peak_rss_mib: 200,
};

const facts = (): RunFacts => ({
  runId: '20261205T000000Z-a1b2c3d4',
  modelName: 'ranker',
  codeVersion: 'abc123',
  windowFromMs: Date.UTC(2026, 10, 1),
  windowToMs: Date.UTC(2026, 11, 1),
  labelWindowMs: 86_400_000,
  splits: {
    train: { rows: 800, groups: 80, fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 20) },
    valid: { rows: 100, groups: 10, fromMs: Date.UTC(2026, 10, 21), toMs: Date.UTC(2026, 10, 24) },
    holdout: { rows: 100, groups: 10, fromMs: Date.UTC(2026, 10, 25), toMs: Date.UTC(2026, 10, 30) },
  },
  report: parseTrainerReport(reportJson),
  challenger: { ...split, ndcg_at_10: 0.52 },
  champion: { kind: 'scored', version: 'ranker-old', metrics: { ...split, ndcg_at_10: 0.4 } },
  verdict: { publish: true, forced: false, deltaNdcgAt10: 0.12, reason: 'beats the champion' },
  parityMaxAbs: 2e-7,
});

describe('what a run writes besides the model', () => {
  it('puts the gate numbers, context and each feature\'s gain on the publication', () => {
    const importance = Object.fromEntries(Object.entries(facts().report.feature_importance).map(([name, value]) => [`importance.gain.${name}`, value.gain]));
    expect(publicationMetrics(facts())).toEqual({ ndcg_at_10: 0.52, hr_at_10: 0.9, auc: 0.8, holdout_groups: 20, valid_ndcg_at_10: 0.5, champion_ndcg_at_10: 0.4, parity_max_abs_diff: 2e-7, train_rows: 800, ...importance });
    expect(publicationMetrics({ ...facts(), champion: { kind: 'none' }, challenger: { ...split, auc: null } })).not.toHaveProperty('champion_ndcg_at_10');
  });

  it('writes the lineage: run, trainer, data window, split sizes, code and parent', () => {
    expect(publicationLineage(facts())).toEqual({
      run_id: '20261205T000000Z-a1b2c3d4',
      trainer: 'streamrec-trainer 0.1.0 (lightgbm 4.7.0, onnxmltools 1.16.0, python 3.11.7)',
      objective: 'lambdarank',
      training_window_start: '2026-11-01T00:00:00.000Z',
      training_window_end: '2026-12-01T00:00:00.000Z',
      train_from: '2026-11-01T00:00:00.000Z',
      holdout_from: '2026-11-25T00:00:00.000Z',
      holdout_to: '2026-11-30T00:00:00.000Z',
      label_window: '1d',
      rows: 'train 800, valid 100, holdout 100',
      requests: 'train 80, valid 10, holdout 10',
      git_commit: 'abc123',
      parent_version: 'ranker-old',
      gate: 'beats the champion',
      mlflow_run_id: 'abc',
    });
  });

  it('gives MLflow the gate, the champion, parity and durations', () => {
    expect(mlflowGateMetrics(facts(), { train: 2 })).toEqual({
      gate: { ndcg_at_10: 0.52, hr_at_10: 0.9, auc: 0.8, groups_evaluated: 20, delta_ndcg_at_10: 0.12, passed: 1, forced: 0 },
      champion: { ndcg_at_10: 0.4, hr_at_10: 0.9, auc: 0.8 },
      parity: { onnxruntime_node_max_abs_diff: 2e-7 },
      duration: { train: 2 },
    });
  });

  it('turns feature importance into run metrics', () => {
    expect(importanceMetrics(facts().report)).toEqual({ 'importance.gain.item_ctr': 12.5, 'importance.split.item_ctr': 7, 'importance.gain.fused_score': 1, 'importance.split.fused_score': 2 });
  });

  it('refuses a report it does not understand, naming the fields', () => {
    expect(() => parseTrainerReport({ ...reportJson, format: 'v2' })).toThrow(/format/);
    expect(() => parseTrainerReport({ ...reportJson, onnx: { sha256: 'short', size_bytes: 1, input: { name: 'features' } } })).toThrow(/onnx.sha256/);
    expect(() => parseTrainerReport(undefined)).toThrow(/not what this job understands/);
  });
});
