import { z } from 'zod';
import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * The part of the trainer's report.json (`streamrec-trainer-report-v1`, jobs/retrain/python/README.md)
 * the orchestrator relies on. Other fields pass through untouched; a report without these is refused,
 * since the gate and the publication would otherwise run on guesses.
 */
const splitMetrics = z.looseObject({
  ndcg_at_10: z.number().nullable(),
  hr_at_10: z.number().nullable(),
  auc: z.number().nullable(),
  groups_evaluated: z.number().int(),
  groups: z.number().int(),
  rows: z.number().int(),
});

const reportSchema = z.looseObject({
  format: z.literal('streamrec-trainer-report-v1'),
  trainer_version: z.string(),
  objective: z.looseObject({ chosen: z.string(), reason: z.string() }),
  params: z.record(z.string(), z.unknown()),
  best_iteration: z.number().int(),
  num_trees: z.number().int(),
  feature_names: z.array(z.string()).min(1),
  feature_importance: z.record(z.string(), z.looseObject({ gain: z.number(), split: z.number() })),
  metrics: z.looseObject({ valid: splitMetrics, holdout: splitMetrics }),
  data: z.record(z.string(), z.looseObject({ rows: z.number().int(), groups: z.number().int() })),
  train_seconds: z.number(),
  total_seconds: z.number(),
  onnx: z.looseObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size_bytes: z.number().int(), input: z.looseObject({ name: z.string() }) }),
  parity: z.looseObject({ max_abs_diff: z.number(), bound: z.number() }),
  versions: z.record(z.string(), z.string().nullable()),
  mlflow_run_id: z.string().nullable(),
  mlflow_experiment_id: z.string().nullable(),
});

export type TrainerReport = z.infer<typeof reportSchema>;
export type SplitReportMetrics = z.infer<typeof splitMetrics>;

export function parseTrainerReport(value: unknown): TrainerReport {
  const result = reportSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new AppError(ErrorCode.PayloadInvalid, `the trainer's report is not what this job understands: ${problems.slice(0, 5).join('; ')}`);
  }
  return result.data;
}

/** Feature importance as run metrics: importance.gain.<name> and importance.split.<name>. */
export function importanceMetrics(report: TrainerReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(report.feature_importance)) {
    out[`importance.gain.${name}`] = value.gain;
    out[`importance.split.${name}`] = value.split;
  }
  return out;
}
