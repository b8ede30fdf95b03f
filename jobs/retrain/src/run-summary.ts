import type { ModelTopics } from '@streamrec/model/app';
import type { RetrainConfig } from './config.js';
import type { BuiltDataset } from './build-dataset.js';
import type { Challenger } from './evaluate-models.js';
import type { ChampionEvaluation, GateVerdict } from './domain/gate.js';
import { PARITY_BOUND } from './domain/parity.js';
import type { RankingMetrics } from './domain/ranking-metrics.js';
import type { ModelRunState, RunStatus } from './domain/run-record.js';
import type { SplitName } from './domain/split.js';
import type { TrainerReport } from './domain/trainer-report.js';

export type Stage = 'window' | 'extract' | 'train' | 'parity' | 'champion' | 'publish' | 'record';

/** The JSON a run prints on stdout (and `loop` logs): what happened, with the numbers behind it. */
export interface RunSummary {
  readonly run_id: string;
  readonly model_name: string;
  readonly status: RunStatus;
  /** Why it was published or refused (the gate), or why it failed. */
  readonly reason: string;
  readonly model_version: string | null;
  readonly published: { readonly topic: string; readonly history_topic: string; readonly partition: number; readonly offset: string; readonly history_offset: string } | null;
  readonly started_at: string;
  readonly finished_at: string;
  readonly data: {
    readonly feature_names: readonly string[];
    readonly query_rows: number | null;
    readonly splits: Readonly<Record<SplitName, { readonly rows: number; readonly groups: number; readonly from: string; readonly to: string }>> | null;
  };
  readonly challenger: RankingMetrics | null;
  readonly champion: { readonly version: string | null; readonly comparable: boolean; readonly metrics: RankingMetrics | null; readonly reason: string | null } | null;
  readonly gate: { readonly publish: boolean; readonly forced: boolean; readonly delta_ndcg_at_10: number | null } | null;
  readonly parity: { readonly onnxruntime_node_max_abs_diff: number; readonly trainer_max_abs_diff: number | null; readonly bound: number } | null;
  readonly trainer: { readonly objective: string; readonly num_trees: number; readonly best_iteration: number; readonly train_seconds: number; readonly versions: Readonly<Record<string, string | null>> } | null;
  readonly mlflow: { readonly tracking_uri: string; readonly run_id: string | null; readonly error: string | null };
  readonly durations_s: Readonly<Record<string, number>>;
  readonly run_dir: string;
  readonly error: { readonly stage: Stage; readonly message: string; readonly record_error: string | null } | null;
}

export interface SummaryInput {
  readonly state: ModelRunState;
  readonly built: BuiltDataset | undefined;
  readonly report: TrainerReport | undefined;
  readonly challenger: Challenger | undefined;
  readonly champion: ChampionEvaluation | undefined;
  readonly verdict?: GateVerdict | undefined;
  readonly topics: ModelTopics;
  readonly position?: { history: { offset: string }; published: { partition: number; offset: string } } | undefined;
  readonly mlflow: { readonly runId: string | undefined; readonly error?: string | undefined };
  readonly durations: Readonly<Record<string, number>>;
  readonly config: RetrainConfig;
  readonly runDir: string;
  readonly error?: { readonly stage: Stage; readonly message: string; readonly recordError: string | undefined } | undefined;
}

export function runSummary(input: SummaryInput): RunSummary {
  const { state, report, champion, verdict, position } = input;
  return {
    run_id: state.runId,
    model_name: state.modelName,
    status: state.status,
    reason: input.error === undefined ? (verdict?.reason ?? '') : `${input.error.stage}: ${input.error.message}`,
    model_version: state.modelVersion ?? null,
    published:
      position === undefined
        ? null
        : { topic: input.topics.published, history_topic: input.topics.history, partition: position.published.partition, offset: position.published.offset, history_offset: position.history.offset },
    started_at: new Date(state.startedAtMs).toISOString(),
    finished_at: new Date(state.finishedAtMs ?? state.startedAtMs).toISOString(),
    data: { feature_names: state.featureNames, query_rows: input.built?.receivedRows ?? null, splits: input.built === undefined ? null : splitsOf(input.built) },
    challenger: input.challenger?.metrics ?? null,
    champion:
      champion === undefined
        ? null
        : champion.kind === 'none'
          ? { version: null, comparable: true, metrics: null, reason: 'no champion published under this name' }
          : champion.kind === 'scored'
            ? { version: champion.version, comparable: true, metrics: champion.metrics, reason: null }
            : { version: champion.version, comparable: false, metrics: null, reason: champion.reason },
    gate: verdict === undefined ? null : { publish: verdict.publish, forced: verdict.forced, delta_ndcg_at_10: verdict.deltaNdcgAt10 },
    parity: input.challenger === undefined ? null : { onnxruntime_node_max_abs_diff: input.challenger.parityMaxAbs, trainer_max_abs_diff: report?.parity.max_abs_diff ?? null, bound: PARITY_BOUND },
    trainer:
      report === undefined
        ? null
        : { objective: report.objective.chosen, num_trees: report.num_trees, best_iteration: report.best_iteration, train_seconds: report.train_seconds, versions: { trainer: report.trainer_version, ...report.versions } },
    mlflow: { tracking_uri: input.config.mlflow.trackingUri, run_id: input.mlflow.runId ?? null, error: input.mlflow.error ?? null },
    durations_s: input.durations,
    run_dir: input.runDir,
    error: input.error === undefined ? null : { stage: input.error.stage, message: input.error.message, record_error: input.error.recordError ?? null },
  };
}

function splitsOf(built: BuiltDataset): NonNullable<RunSummary['data']['splits']> {
  const { train, valid, holdout } = built.dataset.splits;
  const entry = (split: typeof train) => ({ rows: split.rows, groups: split.groups, from: new Date(split.fromMs).toISOString(), to: new Date(split.toMs).toISOString() });
  return { train: entry(train), valid: entry(valid), holdout: entry(holdout) };
}
