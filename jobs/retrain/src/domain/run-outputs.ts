import type { ChampionEvaluation, GateVerdict } from './gate.js';
import type { RankingMetrics } from './ranking-metrics.js';
import type { SplitName } from './split.js';
import type { TrainerReport } from './trainer-report.js';
import { formatDurationMs } from './durations.js';

/**
 * What a run writes about itself besides the model: the published record's metrics and lineage (Avro
 * maps on models.published.v1 and models.history.v1) and the numbers of the gate for MLflow. Pure.
 */
export interface RunFacts {
  readonly runId: string;
  readonly modelName: string;
  readonly codeVersion: string;
  readonly windowFromMs: number;
  readonly windowToMs: number;
  readonly labelWindowMs: number;
  readonly splits: Readonly<Record<SplitName, { readonly rows: number; readonly groups: number; readonly fromMs: number; readonly toMs: number }>>;
  readonly report: TrainerReport;
  readonly challenger: RankingMetrics;
  readonly champion: ChampionEvaluation;
  readonly verdict: GateVerdict;
  readonly parityMaxAbs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Metrics on the publication: the holdout numbers the gate used (onnxruntime scores), plus context. */
export function publicationMetrics(facts: RunFacts): Record<string, number> {
  const out: Record<string, number | null> = {
    ndcg_at_10: facts.challenger.ndcg_at_10,
    hr_at_10: facts.challenger.hr_at_10,
    auc: facts.challenger.auc,
    holdout_groups: facts.challenger.groups_evaluated,
    valid_ndcg_at_10: facts.report.metrics.valid.ndcg_at_10,
    champion_ndcg_at_10: facts.champion.kind === 'scored' ? facts.champion.metrics.ndcg_at_10 : null,
    parity_max_abs_diff: facts.parityMaxAbs,
    train_rows: facts.splits.train.rows,
    // The gain of each feature travels with the model: `npm run model -- features-doc` shows it.
    ...Object.fromEntries(Object.entries(facts.report.feature_importance).map(([name, value]) => [`importance.gain.${name}`, value.gain])),
  };
  return Object.fromEntries(Object.entries(out).filter((entry): entry is [string, number] => entry[1] !== null && Number.isFinite(entry[1])));
}

/** Lineage on the publication: where the model came from, enough to find its run, data and code again. */
export function publicationLineage(facts: RunFacts): Record<string, string> {
  const versions = facts.report.versions;
  const lineage: Record<string, string | null | undefined> = {
    run_id: facts.runId,
    trainer: `streamrec-trainer ${facts.report.trainer_version} (lightgbm ${versions['lightgbm'] ?? '?'}, onnxmltools ${versions['onnxmltools'] ?? '?'}, python ${versions['python'] ?? '?'})`,
    objective: facts.report.objective.chosen,
    training_window_start: iso(facts.windowFromMs),
    training_window_end: iso(facts.windowToMs),
    train_from: iso(facts.splits.train.fromMs),
    holdout_from: iso(facts.splits.holdout.fromMs),
    holdout_to: iso(facts.splits.holdout.toMs),
    label_window: formatDurationMs(facts.labelWindowMs),
    rows: `train ${facts.splits.train.rows}, valid ${facts.splits.valid.rows}, holdout ${facts.splits.holdout.rows}`,
    requests: `train ${facts.splits.train.groups}, valid ${facts.splits.valid.groups}, holdout ${facts.splits.holdout.groups}`,
    git_commit: facts.codeVersion,
    parent_version: facts.champion.kind === 'none' ? undefined : facts.champion.version,
    gate: facts.verdict.reason,
    mlflow_run_id: facts.report.mlflow_run_id,
  };
  return Object.fromEntries(Object.entries(lineage).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}

/** The numbers `python -m streamrec_trainer record` adds to the training's MLflow run (nested: flattened with '.'). */
export function mlflowGateMetrics(facts: RunFacts, durations: Readonly<Record<string, number>>): Record<string, unknown> {
  const { groups_evaluated: holdoutGroups, ndcg_at_10, hr_at_10, auc } = facts.challenger;
  return {
    gate: {
      ndcg_at_10: ndcg_at_10,
      hr_at_10: hr_at_10,
      auc: auc,
      groups_evaluated: holdoutGroups,
      delta_ndcg_at_10: facts.verdict.deltaNdcgAt10,
      passed: facts.verdict.publish ? 1 : 0,
      forced: facts.verdict.forced ? 1 : 0,
    },
    champion: facts.champion.kind === 'scored' ? { ndcg_at_10: facts.champion.metrics.ndcg_at_10, hr_at_10: facts.champion.metrics.hr_at_10, auc: facts.champion.metrics.auc } : {},
    parity: { onnxruntime_node_max_abs_diff: facts.parityMaxAbs },
    duration: durations,
  };
}
