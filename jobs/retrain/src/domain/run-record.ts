import { clickHouseDateTime } from '@streamrec/foundation';
import type { ChampionEvaluation, GateVerdict } from './gate.js';

/**
 * One training run as streamrec.model_runs stores it (schemas/clickhouse/008_model_runs.sql): a row per
 * status change with a growing revision (ReplacingMergeTree(revision), so FINAL shows the latest).
 * running → trained → published | rejected, or failed from any stage. Numbers without a column of their
 * own (valid metrics, durations, row counts, settings, feature importance, gate margin and delta) are
 * name/value pairs in `metrics`, under a prefix: holdout.*, valid.*, trainer.*, gate.*, data.*,
 * duration.*, settings.*, model.*, importance.gain.* / importance.split.*.
 */
export const RunStatus = {
  Running: 'running',
  Trained: 'trained',
  Published: 'published',
  Rejected: 'rejected',
  Failed: 'failed',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

export interface RunWindow {
  readonly trainFromMs: number;
  readonly trainToMs: number;
  readonly holdoutFromMs: number;
  readonly holdoutToMs: number;
}

/** Everything known about a run so far; each status change writes it whole with the next revision. */
export interface ModelRunState {
  readonly runId: string;
  readonly modelName: string;
  readonly status: RunStatus;
  readonly startedAtMs: number;
  /** Undefined while running. */
  readonly finishedAtMs?: number | undefined;
  readonly modelVersion?: string | undefined;
  readonly window?: RunWindow | undefined;
  readonly trainRows?: number | undefined;
  readonly holdoutRows?: number | undefined;
  readonly featureNames: readonly string[];
  readonly params?: Readonly<Record<string, unknown>> | undefined;
  readonly metrics: Readonly<Record<string, number | null | undefined>>;
  readonly championVersion?: string | undefined;
  readonly championMetrics?: Readonly<Record<string, number | null | undefined>> | undefined;
  readonly gatePassed: boolean;
  readonly onnxSha256?: string | undefined;
  readonly parityMaxAbs?: number | undefined;
  readonly codeVersion: string;
  readonly trainerVersions?: Readonly<Record<string, unknown>> | undefined;
  /** Why a run failed or was rejected (the gate's reason); empty for a published run. */
  readonly error?: string | undefined;
}

/** The JSONEachRow row for `INSERT INTO model_runs` (Nested columns as parallel arrays). */
export type ModelRunsRow = Readonly<Record<string, string | number | readonly string[] | readonly number[]>>;

export function modelRunsRow(state: ModelRunState, revision: number): ModelRunsRow {
  if (!Number.isInteger(revision) || revision < 1) throw new RangeError(`revision must be a positive integer, got ${revision}`);
  const metrics = nameValuePairs(state.metrics);
  const champion = nameValuePairs(state.championMetrics ?? {});
  return {
    run_id: state.runId,
    model_name: state.modelName,
    model_version: state.modelVersion ?? '',
    revision,
    status: state.status,
    started_at: clickHouseDateTime(state.startedAtMs),
    finished_at: clickHouseDateTime(state.finishedAtMs ?? 0),
    train_from: clickHouseDateTime(state.window?.trainFromMs ?? 0),
    train_to: clickHouseDateTime(state.window?.trainToMs ?? 0),
    holdout_from: clickHouseDateTime(state.window?.holdoutFromMs ?? 0),
    holdout_to: clickHouseDateTime(state.window?.holdoutToMs ?? 0),
    train_rows: state.trainRows ?? 0,
    holdout_rows: state.holdoutRows ?? 0,
    feature_names: [...state.featureNames],
    params_json: state.params === undefined ? '' : JSON.stringify(state.params),
    'metrics.name': metrics.names,
    'metrics.value': metrics.values,
    champion_version: state.championVersion ?? '',
    'champion_metrics.name': champion.names,
    'champion_metrics.value': champion.values,
    gate_passed: state.gatePassed ? 1 : 0,
    onnx_sha256: state.onnxSha256 ?? '',
    onnx_parity_max_abs: finiteOr(state.parityMaxAbs, 0),
    code_version: state.codeVersion,
    trainer_versions: state.trainerVersions === undefined ? '' : JSON.stringify(state.trainerVersions),
    error: state.error ?? '',
  };
}

/** Finite values only, sorted by name (null, undefined, NaN and ±∞ have no place in a Float64 metric). */
function nameValuePairs(values: Readonly<Record<string, number | null | undefined>>): { names: string[]; values: number[] } {
  const entries = Object.entries(values)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { names: entries.map(([name]) => name), values: entries.map(([, value]) => value) };
}

function finiteOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}


/** The numbers of a metrics block under a prefix: { ndcg_at_10: 0.4, split: 'x' } → { 'holdout.ndcg_at_10': 0.4 }. */
export function prefixed(prefix: string, values: object): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(values)
      .filter((entry): entry is [string, number | null] => typeof entry[1] === 'number' || entry[1] === null)
      .map(([name, value]) => [`${prefix}.${name}`, value]),
  );
}

/** The settings of a run that shape its data and model, as `settings.*` metrics. */
export interface RunSettings {
  readonly labelWindowMs: number;
  readonly maxRowsPerRequest: number;
  readonly negativesPerPositive: number;
  readonly hardNegativeShare: number;
  readonly sampleSeed: number;
  readonly seed: number;
  readonly ensemble: number;
  readonly validFraction: number;
  readonly holdoutFraction: number;
  readonly threads: number;
}

export function settingsMetrics(settings: RunSettings): Record<string, number> {
  return {
    'settings.label_window_hours': settings.labelWindowMs / 3_600_000,
    'settings.max_rows_per_request': settings.maxRowsPerRequest,
    'settings.negatives_per_positive': settings.negativesPerPositive,
    'settings.hard_negative_share': settings.hardNegativeShare,
    'settings.sample_seed': settings.sampleSeed,
    'settings.seed': settings.seed,
    'settings.ensemble_members': settings.ensemble,
    'settings.valid_fraction': settings.validFraction,
    'settings.holdout_fraction': settings.holdoutFraction,
    'settings.threads': settings.threads,
  };
}

/** The gate's numbers as `gate.*` metrics, and whether MLflow got them. */
export function gateMetrics(verdict: GateVerdict, margin: number, champion: ChampionEvaluation, mlflowRecorded: boolean): Record<string, number | null> {
  return {
    'gate.margin': margin,
    'gate.delta_ndcg_at_10': verdict.deltaNdcgAt10,
    'gate.forced': verdict.forced ? 1 : 0,
    'gate.champion_comparable': champion.kind === 'not_comparable' ? 0 : 1,
    'mlflow.recorded': mlflowRecorded ? 1 : 0,
  };
}

export { clickHouseDateTime };
