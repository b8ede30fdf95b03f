/**
 * A stand-in for `python -m streamrec_trainer train` that writes a valid report and a loadable ONNX ranker
 * whose scores do NOT match the LightGBM scores it claims (holdout.lgbm.f64 is all zeros): the retrain
 * job's own parity check in onnxruntime-node must catch it. Run through a wrapper script as
 * STREAMREC_RETRAIN_PYTHON; arguments are the trainer's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linearRankerModel } from '@streamrec/ranking';

const args = process.argv.slice(2);
const option = (name: string): string => args[args.indexOf(name) + 1] ?? '';
if (args[0] !== '-m' || args[1] !== 'streamrec_trainer' || args[2] !== 'train') {
  process.stdout.write(`${JSON.stringify({ error: { kind: 'invalid_input', exit_code: 2, message: `fake trainer: unsupported ${args.join(' ')}` } })}\n`);
  process.exit(2);
}
const meta = JSON.parse(readFileSync(join(option('--data'), 'meta.json'), 'utf8')) as { feature_names: string[]; splits: Record<string, { rows: number; groups: number }> };
const out = option('--out');
mkdirSync(out, { recursive: true });
const onnx = linearRankerModel({ featureNames: meta.feature_names, weights: meta.feature_names.map(() => 1), bias: 0 });
writeFileSync(join(out, 'model.onnx'), onnx);
writeFileSync(join(out, 'holdout.lgbm.f64'), Buffer.alloc((meta.splits['holdout']?.rows ?? 0) * 8));
const split = { ndcg_at_10: 0.5, hr_at_10: 0.5, auc: 0.5, groups_evaluated: 1, groups: 1, rows: 1 };
const report = {
  format: 'streamrec-trainer-report-v1',
  trainer_version: 'fake',
  objective: { mode: 'auto', chosen: 'lambdarank', reason: 'fake' },
  params: {},
  best_iteration: 1,
  num_trees: 1,
  feature_names: meta.feature_names,
  feature_importance: Object.fromEntries(meta.feature_names.map((name) => [name, { gain: 1, split: 1 }])),
  metrics: { valid: split, holdout: split },
  data: meta.splits,
  train_seconds: 0,
  total_seconds: 0,
  onnx: { sha256: createHash('sha256').update(onnx).digest('hex'), size_bytes: onnx.length, input: { name: 'features' } },
  parity: { max_abs_diff: 0, bound: 1e-5 },
  versions: { lightgbm: 'fake' },
  mlflow_run_id: null,
  mlflow_experiment_id: null,
};
writeFileSync(join(out, 'report.json'), JSON.stringify(report));
process.stdout.write(`${JSON.stringify(report)}\n`);
