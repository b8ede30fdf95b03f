import { describe, expect, it } from 'vitest';
import { clickHouseDateTime, gateMetrics, modelRunsRow, prefixed, RunStatus, settingsMetrics, type ModelRunState } from './run-record.js';

const state: ModelRunState = {
  runId: '20261205T000000Z-a1b2c3d4',
  modelName: 'ranker',
  status: RunStatus.Running,
  startedAtMs: Date.UTC(2026, 11, 5, 0, 0, 0, 999),
  featureNames: ['item_ctr', 'fused_score'],
  metrics: { 'holdout.ndcg_at_10': 0.41, 'holdout.auc': null, 'data.requests': 120, 'bad.nan': Number.NaN },
  gatePassed: false,
  codeVersion: 'abc123-dirty',
};

describe('model_runs rows', () => {
  it('writes a running row with epoch-0 end and empty optional fields', () => {
    expect(modelRunsRow(state, 1)).toEqual({
      run_id: '20261205T000000Z-a1b2c3d4',
      model_name: 'ranker',
      model_version: '',
      revision: 1,
      status: 'running',
      started_at: '2026-12-05 00:00:00',
      finished_at: '1970-01-01 00:00:00',
      train_from: '1970-01-01 00:00:00',
      train_to: '1970-01-01 00:00:00',
      holdout_from: '1970-01-01 00:00:00',
      holdout_to: '1970-01-01 00:00:00',
      train_rows: 0,
      holdout_rows: 0,
      feature_names: ['item_ctr', 'fused_score'],
      params_json: '',
      'metrics.name': ['data.requests', 'holdout.ndcg_at_10'],
      'metrics.value': [120, 0.41],
      champion_version: '',
      'champion_metrics.name': [],
      'champion_metrics.value': [],
      gate_passed: 0,
      onnx_sha256: '',
      onnx_parity_max_abs: 0,
      code_version: 'abc123-dirty',
      trainer_versions: '',
      error: '',
    });
  });

  it('writes a finished run with its window, champion, gate and the reason', () => {
    const row = modelRunsRow(
      {
        ...state,
        status: RunStatus.Rejected,
        finishedAtMs: Date.UTC(2026, 11, 5, 0, 5),
        window: { trainFromMs: Date.UTC(2026, 10, 1), trainToMs: Date.UTC(2026, 10, 20), holdoutFromMs: Date.UTC(2026, 10, 21), holdoutToMs: Date.UTC(2026, 10, 30) },
        params: { num_leaves: 63 },
        championVersion: 'ranker-1',
        championMetrics: { ndcg_at_10: 0.5 },
        parityMaxAbs: 2e-6,
        trainerVersions: { lightgbm: '4.7.0' },
        error: 'does not beat the champion',
      },
      3,
    );
    expect(row).toMatchObject({
      revision: 3,
      status: 'rejected',
      finished_at: '2026-12-05 00:05:00',
      train_from: '2026-11-01 00:00:00',
      holdout_to: '2026-11-30 00:00:00',
      params_json: '{"num_leaves":63}',
      champion_version: 'ranker-1',
      'champion_metrics.name': ['ndcg_at_10'],
      onnx_parity_max_abs: 2e-6,
      trainer_versions: '{"lightgbm":"4.7.0"}',
      error: 'does not beat the champion',
    });
  });

  it('refuses a revision that would not supersede', () => {
    expect(() => modelRunsRow(state, 0)).toThrow(/revision/);
  });

  it('formats DateTime for ClickHouse in UTC seconds and prefixes metric blocks', () => {
    expect(clickHouseDateTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02 03:04:05');
    expect(prefixed('holdout', { ndcg_at_10: 0.4, auc: null, split: 'holdout' })).toEqual({ 'holdout.ndcg_at_10': 0.4, 'holdout.auc': null });
  });

  it('writes the settings and the gate as metrics', () => {
    expect(settingsMetrics({ labelWindowMs: 86_400_000, maxRowsPerRequest: 100, negativesPerPositive: 10, hardNegativeShare: 0.5, sampleSeed: 1, seed: 42, ensemble: 4, validFraction: 0.1, holdoutFraction: 0.1, threads: 1 })).toMatchObject({
      'settings.label_window_hours': 24,
      'settings.negatives_per_positive': 10,
      'settings.hard_negative_share': 0.5,
      'settings.ensemble_members': 4,
    });
    const verdict = { publish: false, forced: false, deltaNdcgAt10: -0.01, reason: 'x' };
    expect(gateMetrics(verdict, 0.001, { kind: 'not_comparable', version: 'v', reason: 'r' }, false)).toEqual({
      'gate.margin': 0.001,
      'gate.delta_ndcg_at_10': -0.01,
      'gate.forced': 0,
      'gate.champion_comparable': 0,
      'mlflow.recorded': 0,
    });
  });
});
