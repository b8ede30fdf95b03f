import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Kafka } from 'kafkajs';
import { AppError, ErrorCode, formatCount } from '@streamrec/foundation';
import { readModelHistory, readModelTopic, servingPublication, sha256Hex } from '@streamrec/model/app';
import { loadOnnxRanker, type OnnxRanker } from '@streamrec/ranking/runtime';
import type { ModelChoice, ScoreOptions } from './cli-args.js';
import type { OfflineRow, OfflineRowSource } from './adapters/clickhouse-training-source.js';
import type { DatasetStageDependencies } from './build-dataset.js';
import { mapColumns, selectColumns } from './domain/champion-columns.js';
import { resolveDataWindow } from './domain/data-window.js';
import { queryProgressLine } from './domain/extract-progress.js';
import { featureAligner } from './domain/feature-alignment.js';
import type { LoggedFeatureList } from './domain/feature-choice.js';
import { OfflineScoreboard, Scorer, type SegmentResult } from './domain/offline-scoring.js';
import { featureListsQuery, offlineScoringQuery } from './domain/training-set-query.js';

/** What the training set's extraction needs (database, progress, clock), with the offline rows as source and the models topics. */
export interface OfflineScoreDependencies extends Omit<DatasetStageDependencies, 'source'> {
  readonly source: OfflineRowSource;
  readonly kafka: Kafka;
  readonly topics: { readonly published: string; readonly history: string };
}

/** A model as scored offline: where it came from, its columns and how much of the logged traffic carries them. */
export interface ScoredModel {
  readonly source: string;
  readonly version: string;
  readonly sha256: string;
  readonly feature_names: readonly string[];
  /** Share of the window's logged item rows whose feature list has every feature of the model (the rest score with NaN for the absent ones). */
  readonly coverage: number;
  /** Logged item rows whose list lacks at least one of its features. */
  readonly item_rows_lacking: number;
  readonly absent_features: readonly string[];
}

export interface OfflineScoreReport {
  readonly model_name: string;
  readonly window: { readonly from: string; readonly to: string; readonly label_window_ms: number; readonly experiment: string | null };
  readonly candidate: ScoredModel;
  readonly baseline: ScoredModel | null;
  readonly requests: number;
  readonly rows: number;
  readonly bootstrap: { readonly resamples: number; readonly seed: number };
  /** The overall segment (all: true) first, then one per logged (experiment, variant). */
  readonly segments: readonly SegmentResult[];
  readonly duration_s: number;
}

interface LoadedModel {
  readonly description: Omit<ScoredModel, 'coverage' | 'item_rows_lacking' | 'absent_features'>;
  readonly onnx: Uint8Array;
}

/** Rows scored per ONNX run (whole requests, so a request is never split between runs). */
const CHUNK_ROWS = 4096;

/**
 * Scores a candidate model (and a baseline: the model serving now, a history version, or none) on the
 * logged traffic of a window — the rows of every request that got a positive label, features as logged
 * — and reports the gate's metrics per experiment variant and overall, next to the order the traffic was
 * served in, with the candidate's paired NDCG@10 gain. Nothing is published or recorded.
 */
export async function scoreOffline(deps: OfflineScoreDependencies, options: ScoreOptions): Promise<OfflineScoreReport> {
  const started = deps.now();
  const window = resolveDataWindow({ nowMs: started, labelWindowMs: options.labelWindowMs, lookbackMs: options.lookbackMs, fromMs: options.fromMs, toMs: options.toMs });
  const candidate = await loadModel(deps, options.name, options.candidate);
  if (candidate === undefined) throw new AppError(ErrorCode.NotFound, `no model to score: nothing serves ${options.name}`);
  const baseline = await loadModel(deps, options.name, options.against);
  deps.progress(`candidate ${candidate.description.version} (${candidate.description.source}); baseline ${baseline === undefined ? 'none' : `${baseline.description.version} (${baseline.description.source})`}`);
  const base = { database: deps.database, fromMs: window.fromMs, toMs: window.toMs, userIdPrefix: options.userIdPrefix, experiment: options.experiment };
  const lists = await deps.source.featureLists(featureListsQuery(base));
  if (lists.length === 0) throw new AppError(ErrorCode.NotFound, `no exposure with logged features between ${iso(window.fromMs)} and ${iso(window.toMs)}${options.experiment === undefined ? '' : ` in experiment ${options.experiment}`}`);
  const columns = [...new Set([...candidate.description.feature_names, ...(baseline?.description.feature_names ?? [])])];
  const rankers = new Map<Scorer, { readonly ranker: OnnxRanker; readonly columns: readonly number[] }>();
  try {
    for (const [scorer, model] of [[Scorer.Candidate, candidate], [Scorer.Baseline, baseline]] as const) {
      if (model === undefined) continue;
      const ranker = await loadOnnxRanker({ name: options.name, version: model.description.version, featureNames: model.description.feature_names, onnx: model.onnx });
      rankers.set(scorer, { ranker, columns: mapColumns(columns, model.description.feature_names).columns });
    }
    const scorers = [...rankers.keys(), Scorer.Served];
    const board = new OfflineScoreboard(scorers);
    const counts = await scoreRows(deps, { ...base, labelWindowMs: options.labelWindowMs, featureNames: columns, featureListIds: lists.map((list) => list.id) }, lists, columns, rankers, board);
    const segments = board.results({ resamples: options.resamples, seed: options.seed });
    return {
      model_name: options.name,
      window: { from: iso(window.fromMs), to: iso(window.toMs), label_window_ms: options.labelWindowMs, experiment: options.experiment ?? null },
      candidate: describeCoverage(candidate, lists),
      baseline: baseline === undefined ? null : describeCoverage(baseline, lists),
      requests: counts.requests,
      rows: counts.rows,
      bootstrap: { resamples: options.resamples, seed: options.seed },
      segments,
      duration_s: (deps.now() - started) / 1000,
    };
  } finally {
    for (const { ranker } of rankers.values()) await ranker.release();
  }
}

interface PendingRequest {
  readonly requestId: string;
  readonly experiment: string;
  readonly variant: string;
  readonly rows: OfflineRow[];
}

async function scoreRows(
  deps: OfflineScoreDependencies,
  query: Parameters<typeof offlineScoringQuery>[0],
  lists: readonly LoggedFeatureList[],
  columns: readonly string[],
  rankers: ReadonlyMap<Scorer, { readonly ranker: OnnxRanker; readonly columns: readonly number[] }>,
  board: OfflineScoreboard,
): Promise<{ requests: number; rows: number }> {
  let pending: PendingRequest[] = [];
  let pendingRows = 0;
  let requests = 0;
  let rows = 0;
  let lastLine = deps.now();
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const features = new Float32Array(pendingRows * columns.length);
    let at = 0;
    for (const request of pending) {
      for (const row of request.rows) {
        features.set(row.features, at * columns.length);
        at += 1;
      }
    }
    const scores = new Map<Scorer, Float32Array>();
    for (const [scorer, { ranker, columns: modelColumns }] of rankers) scores.set(scorer, await ranker.score(selectColumns(features, columns.length, modelColumns), pendingRows));
    let offset = 0;
    for (const request of pending) {
      const count = request.rows.length;
      const byScorer: Partial<Record<Scorer, ArrayLike<number>>> = { [Scorer.Served]: request.rows.map((row) => servedOrderScore(row.servedScore)) };
      for (const [scorer, all] of scores) byScorer[scorer] = all.subarray(offset, offset + count);
      board.add({ experiment: request.experiment, variant: request.variant, grades: request.rows.map((row) => row.grade), scores: byScorer });
      offset += count;
    }
    pending = [];
    pendingRows = 0;
  };
  let current: PendingRequest | undefined;
  const source = deps.source.rows(offlineScoringQuery(query), {
    align: featureAligner(columns, lists),
    onProgress: (progress) => deps.progress(queryProgressLine(progress)),
    progressIntervalMs: deps.progressIntervalMs,
  });
  for await (const row of source) {
    rows += 1;
    if (current?.requestId !== row.requestId) {
      if (pendingRows >= CHUNK_ROWS) await flush();
      current = { requestId: row.requestId, experiment: row.experiment, variant: row.variant, rows: [] };
      pending.push(current);
      requests += 1;
    }
    current.rows.push(row);
    pendingRows += 1;
    const now = deps.now();
    if (now - lastLine >= deps.progressIntervalMs) {
      deps.progress(`scored ${formatCount(BigInt(rows))} rows of ${formatCount(BigInt(requests))} requests`);
      lastLine = now;
    }
  }
  await flush();
  deps.progress(`scored ${formatCount(BigInt(rows))} rows of ${formatCount(BigInt(requests))} requests with a positive label`);
  return { requests, rows };
}

/** A logged score that is missing ranks last in the served order (NaN would break the sort). */
function servedOrderScore(score: number): number {
  return Number.isFinite(score) ? score : -Number.MAX_VALUE;
}

async function loadModel(deps: OfflineScoreDependencies, name: string, choice: ModelChoice): Promise<LoadedModel | undefined> {
  switch (choice.kind) {
    case 'none':
      return undefined;
    case 'file': {
      const onnx = await readFile(choice.path).catch((error: unknown) => {
        throw new AppError(ErrorCode.NotFound, `cannot read ${choice.path}: ${error instanceof Error ? error.message : String(error)}`);
      });
      return { onnx, description: { source: `file ${choice.path}`, version: basename(choice.path), sha256: sha256Hex(onnx), feature_names: choice.features } };
    }
    case 'serving': {
      const publication = servingPublication(await readModelTopic(deps.kafka, deps.topics.published), name);
      if (publication === undefined) return undefined;
      return verified(publication, `serving on ${deps.topics.published}`);
    }
    case 'version': {
      const found = (await readModelHistory(deps.kafka, deps.topics.history, name)).find((entry) => entry.publication.version === choice.version);
      if (found === undefined) throw new AppError(ErrorCode.NotFound, `${name} version ${choice.version} is not in ${deps.topics.history} (npm run model -- history --name ${name})`);
      return verified(found.publication, `history ${deps.topics.history}`);
    }
  }
}

function verified(publication: { readonly version: string; readonly sha256: string; readonly onnx: Uint8Array; readonly feature_names: readonly string[] }, source: string): LoadedModel {
  if (sha256Hex(publication.onnx) !== publication.sha256) throw new AppError(ErrorCode.ModelInvalid, `${publication.version}: its ONNX bytes do not match its sha256`);
  return { onnx: publication.onnx, description: { source, version: publication.version, sha256: publication.sha256, feature_names: [...publication.feature_names] } };
}

function describeCoverage(model: LoadedModel, lists: readonly LoggedFeatureList[]): ScoredModel {
  const total = lists.reduce((sum, list) => sum + list.itemRows, 0);
  const complete = lists.filter((list) => model.description.feature_names.every((name) => list.featureNames.includes(name))).reduce((sum, list) => sum + list.itemRows, 0);
  const absent = model.description.feature_names.filter((name) => lists.some((list) => list.itemRows > 0 && !list.featureNames.includes(name)));
  return { ...model.description, coverage: total === 0 ? 0 : complete / total, item_rows_lacking: total - complete, absent_features: absent };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
