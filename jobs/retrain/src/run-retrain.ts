import { mkdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { buildPublication, loadModelSigner, publishWithHistory, type ModelTopics } from '@streamrec/model/app';
import type { RunOptions } from './cli-args.js';
import type { RetrainConfig } from './config.js';
import type { TrainingSource } from './adapters/clickhouse-training-source.js';
import type { ModelRunsStore } from './adapters/model-runs-table.js';
import { recordInMlflow, trainModel } from './adapters/trainer.js';
import { buildDataset, type BuiltDataset } from './build-dataset.js';
import { checkChallenger, evaluateChampion, type Challenger } from './evaluate-models.js';
import { resolveDataWindow } from './domain/data-window.js';
import { formatDurationMs } from './domain/durations.js';
import { decideGate, type ChampionEvaluation } from './domain/gate.js';
import { modelVersion, runId as newRunId } from './domain/model-version.js';
import { mlflowGateMetrics, publicationLineage, publicationMetrics, type RunFacts } from './domain/run-outputs.js';
import { gateMetrics, modelRunsRow, prefixed, RunStatus, settingsMetrics, type ModelRunState } from './domain/run-record.js';
import { importanceMetrics, type TrainerReport } from './domain/trainer-report.js';
import { runSummary, type RunSummary, type Stage } from './run-summary.js';

export interface RetrainDependencies {
  readonly config: RetrainConfig;
  readonly source: TrainingSource;
  readonly runs: ModelRunsStore;
  readonly kafka: Kafka;
  readonly now: () => number;
  /** 8 random hex digits for the run id. */
  readonly randomHex: () => string;
  readonly codeVersion: string;
  /** Progress lines (stderr for `run`, the log for `loop`). */
  readonly progress: (line: string) => void;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One run: window → training set → trainer → ONNX parity in onnxruntime-node → champion → gate →
 * publication (history first) → MLflow → model_runs. Every status change is a model_runs row with the
 * next revision; any failure ends the run as `failed` with its stage and reason. Never throws for a
 * failed run: the summary says what happened.
 */
export async function runRetrain(deps: RetrainDependencies, options: RunOptions, signal?: AbortSignal): Promise<RunSummary> {
  const startedAtMs = deps.now();
  const id = newRunId(startedAtMs, deps.randomHex());
  const topics: ModelTopics = { published: options.topic ?? deps.config.topics.published, history: options.historyTopic ?? deps.config.topics.history };
  const runDir = join(deps.config.workDir, `${options.name}-${id}`);
  const dataDir = join(runDir, 'data');
  const modelDir = join(runDir, 'model');
  const say = (line: string): void => deps.progress(`${options.name} ${id}: ${line}`);
  const durations: Record<string, number> = {};
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const begun = deps.now();
    try {
      return await step();
    } finally {
      durations[name] = (deps.now() - begun) / 1000;
    }
  };
  let revision = 0;
  let state: ModelRunState = {
    runId: id,
    modelName: options.name,
    status: RunStatus.Running,
    startedAtMs,
    featureNames: options.features ?? [],
    metrics: settingsMetrics(options),
    gatePassed: false,
    codeVersion: deps.codeVersion,
  };
  const record = async (patch: Partial<ModelRunState>): Promise<void> => {
    state = { ...state, ...patch, metrics: { ...state.metrics, ...patch.metrics } };
    revision += 1;
    await deps.runs.write(modelRunsRow(state, revision));
  };
  let stage: Stage = 'record';
  let built: BuiltDataset | undefined;
  let report: TrainerReport | undefined;
  let challenger: Challenger | undefined;
  let champion: ChampionEvaluation | undefined;
  // Set once the model is out: a failure after that (recording) must not hide that it serves.
  let version: string | undefined;
  let position: { history: { offset: string }; published: { partition: number; offset: string } } | undefined;
  const trainer = { python: deps.config.python, onStderrLine: (line: string) => say(`trainer: ${line.replace(/^\[streamrec-trainer\s+[\d.]+s\]\s*/, '')}`), signal };
  try {
    await record({});
    stage = 'window';
    const window = resolveDataWindow({ nowMs: startedAtMs, labelWindowMs: options.labelWindowMs, lookbackMs: options.lookbackMs, fromMs: options.fromMs, toMs: options.toMs });
    say(`exposures ${new Date(window.fromMs).toISOString()} → ${new Date(window.toMs).toISOString()}, label window ${formatDurationMs(options.labelWindowMs)}${window.clipped ? ' (end moved back to now − label window)' : ''}`);

    stage = 'extract';
    await mkdir(runDir, { recursive: true });
    built = await timed('extract', () =>
      buildDataset({ source: deps.source, database: deps.config.clickhouse.database, progressIntervalMs: deps.config.progressIntervalMs, now: deps.now, progress: say }, options, window, dataDir, signal),
    );
    const { dataset } = built;
    const { train, valid, holdout } = dataset.splits;
    say(`dataset: train ${train.rows} rows / ${train.groups} requests, valid ${valid.rows} / ${valid.groups}, holdout ${holdout.rows} / ${holdout.groups}`);
    state = {
      ...state,
      featureNames: dataset.featureNames,
      window: { trainFromMs: train.fromMs, trainToMs: valid.toMs, holdoutFromMs: holdout.fromMs, holdoutToMs: holdout.toMs },
      trainRows: train.rows,
      holdoutRows: holdout.rows,
      metrics: {
        ...state.metrics,
        'data.window_from_ms': window.fromMs,
        'data.window_to_ms': window.toMs,
        'data.query_rows': built.receivedRows,
        'data.requests': built.requests,
        'data.valid_rows': valid.rows,
        'data.train_groups': train.groups,
        'data.valid_groups': valid.groups,
        'data.holdout_groups': holdout.groups,
      },
    };

    stage = 'train';
    const trained = await timed('train', () =>
      trainModel(trainer, {
        dataDir,
        outDir: modelDir,
        seed: options.seed,
        objective: options.objective,
        ensemble: options.ensemble,
        params: options.params,
        threads: options.threads,
        mlflowUri: deps.config.mlflow.trackingUri,
        mlflowExperiment: deps.config.mlflow.experiment,
        runName: id,
        tags: { 'streamrec.run_id': id, 'streamrec.model_name': options.name, 'streamrec.code_version': deps.codeVersion, 'streamrec.data_window': `${new Date(window.fromMs).toISOString()}/${new Date(window.toMs).toISOString()}` },
      }),
    );
    report = trained;

    stage = 'parity';
    const checked = await timed('parity', () => checkChallenger(modelDir, dataDir, trained, options.name));
    challenger = checked;
    say(`parity in onnxruntime-node: max |Δ| ${checked.parityMaxAbs.toExponential(2)} on ${checked.holdout.rows} holdout rows; holdout NDCG@10 ${checked.metrics.ndcg_at_10 ?? 'n/a'}`);
    await record({
      status: RunStatus.Trained,
      params: trained.params,
      onnxSha256: checked.sha256,
      parityMaxAbs: checked.parityMaxAbs,
      trainerVersions: { trainer: trained.trainer_version, ...trained.versions },
      metrics: {
        ...prefixed('holdout', checked.metrics),
        ...prefixed('valid', trained.metrics.valid),
        ...prefixed('trainer.holdout', trained.metrics.holdout),
        'trainer.parity_max_abs_diff': trained.parity.max_abs_diff,
        'model.num_trees': trained.num_trees,
        'model.best_iteration': trained.best_iteration,
        ...importanceMetrics(trained),
        ...prefixed('duration', durations),
      },
    });

    stage = 'champion';
    const evaluation = await timed('champion', () => evaluateChampion(deps.kafka, topics.published, options.name, dataset.featureNames, checked.holdout));
    champion = evaluation;
    const verdict = decideGate(checked.metrics, evaluation, { margin: options.margin, force: options.force });
    say(`gate: ${verdict.publish ? 'publish' : 'refuse'} — ${verdict.reason}`);

    const facts: RunFacts = {
      runId: id,
      modelName: options.name,
      codeVersion: deps.codeVersion,
      windowFromMs: window.fromMs,
      windowToMs: window.toMs,
      labelWindowMs: options.labelWindowMs,
      splits: dataset.splits,
      report: trained,
      challenger: checked.metrics,
      champion: evaluation,
      verdict,
      parityMaxAbs: checked.parityMaxAbs,
    };
    if (verdict.publish) {
      stage = 'publish';
      const publishedAt = deps.now();
      const publishedVersion = modelVersion(options.name, publishedAt, checked.sha256);
      version = publishedVersion;
      const signer = await loadModelSigner(deps.config.signingKeyFile);
      const publication = signer.sign(buildPublication({
        name: options.name,
        version: publishedVersion,
        onnx: checked.onnx,
        featureNames: dataset.featureNames,
        metrics: publicationMetrics(facts),
        lineage: publicationLineage(facts),
        publishedAt,
      }));
      if (!signer.signs) say('the model is published unsigned (STREAMREC_MODEL_SIGNING_KEY_FILE is not set)');
      position = await timed('publish', () => publishWithHistory(deps.kafka, topics, publication));
      say(`published ${publishedVersion} to ${topics.history} (offset ${position.history.offset}) and ${topics.published} (offset ${position.published.offset})`);
    }

    stage = 'record';
    durations['total'] = (deps.now() - startedAtMs) / 1000;
    const mlflow = await timed('mlflow_record', () => recordGate(deps, trainer, trained, facts, durations, version, say));
    durations['total'] = (deps.now() - startedAtMs) / 1000;
    await record({
      status: verdict.publish ? RunStatus.Published : RunStatus.Rejected,
      finishedAtMs: deps.now(),
      modelVersion: version,
      championVersion: evaluation.kind === 'none' ? undefined : evaluation.version,
      championMetrics: evaluation.kind === 'scored' ? { ...evaluation.metrics } : undefined,
      gatePassed: verdict.publish,
      error: verdict.publish && !verdict.forced ? '' : verdict.reason,
      metrics: { ...gateMetrics(verdict, options.margin, evaluation, mlflow.error === undefined), ...prefixed('duration', durations) },
    });
    return runSummary({ state, built, report: trained, challenger: checked, champion: evaluation, verdict, topics, position, mlflow, durations, config: deps.config, runDir });
  } catch (error) {
    const message = `${stage}: ${describe(error)}`;
    say(`run failed in ${stage}: ${describe(error)}`);
    durations['total'] = (deps.now() - startedAtMs) / 1000;
    let recordError: string | undefined;
    try {
      await record({ status: RunStatus.Failed, finishedAtMs: deps.now(), error: message, modelVersion: version, gatePassed: version !== undefined, metrics: prefixed('duration', durations) });
    } catch (failure) {
      recordError = describe(failure);
      say(`could not record the failure in model_runs: ${recordError}`);
    }
    const runIdInMlflow = report?.mlflow_run_id;
    if (runIdInMlflow !== null && runIdInMlflow !== undefined) {
      await recordInMlflow(trainer, { mlflowUri: deps.config.mlflow.trackingUri, runId: runIdInMlflow, metrics: {}, params: {}, tags: { 'streamrec.decision': 'failed', 'streamrec.decision_reason': message } }).catch(
        (failure: unknown) => say(`could not record the failure in MLflow: ${describe(failure)}`),
      );
    }
    return runSummary({
      state: { ...state, modelVersion: version },
      built,
      report,
      challenger,
      champion,
      topics,
      position,
      mlflow: { runId: report?.mlflow_run_id ?? undefined },
      durations,
      config: deps.config,
      runDir,
      error: { stage, message: describe(error), recordError },
    });
  } finally {
    if (!options.keepData) await rm(dataDir, { recursive: true, force: true });
    // A run that failed before training leaves nothing worth keeping (rmdir removes only an empty folder).
    await rmdir(runDir).catch(() => undefined);
  }
}

/** Adds the gate's numbers and decision to the training's MLflow run; a failure here is reported, not fatal (the model is already out). */
async function recordGate(
  deps: RetrainDependencies,
  trainer: { python: string; onStderrLine: (line: string) => void; signal?: AbortSignal | undefined },
  report: TrainerReport,
  facts: RunFacts,
  durations: Readonly<Record<string, number>>,
  version: string | undefined,
  say: (line: string) => void,
): Promise<{ runId: string | undefined; error?: string }> {
  const runId = report.mlflow_run_id ?? undefined;
  if (runId === undefined) return { runId, error: 'the trainer reported no MLflow run id' };
  try {
    await recordInMlflow(trainer, {
      mlflowUri: deps.config.mlflow.trackingUri,
      runId,
      metrics: mlflowGateMetrics(facts, durations),
      params: {
        'job.model_name': facts.modelName,
        'job.label_window': formatDurationMs(facts.labelWindowMs),
        'job.window_from': new Date(facts.windowFromMs).toISOString(),
        'job.window_to': new Date(facts.windowToMs).toISOString(),
      },
      tags: {
        'streamrec.decision': facts.verdict.publish ? 'published' : 'rejected',
        'streamrec.decision_reason': facts.verdict.reason,
        'streamrec.forced': String(facts.verdict.forced),
        ...(version === undefined ? {} : { 'streamrec.published_version': version }),
        ...(facts.champion.kind === 'none' ? {} : { 'streamrec.champion_version': facts.champion.version }),
      },
    });
    return { runId };
  } catch (error) {
    say(`MLflow record failed (the run is recorded in model_runs): ${describe(error)}`);
    return { runId, error: describe(error) };
  }
}
