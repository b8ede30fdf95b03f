import { rm } from 'node:fs/promises';
import { formatCount } from '@streamrec/foundation';
import type { RunOptions } from './cli-args.js';
import type { TrainingRow, TrainingSource } from './adapters/clickhouse-training-source.js';
import { DatasetWriter, type DatasetSummary } from './adapters/dataset-files.js';
import type { DataWindow } from './domain/data-window.js';
import { queryProgressLine, receivedProgressLine } from './domain/extract-progress.js';
import { featureAligner } from './domain/feature-alignment.js';
import { chooseFeatures, type FeatureChoice } from './domain/feature-choice.js';
import { sampleRequest, type SamplingSettings } from './domain/sampling.js';
import { featureListsQuery, trainingSetQuery } from './domain/training-set-query.js';

export interface DatasetStageDependencies {
  readonly source: TrainingSource;
  readonly database: string;
  readonly progressIntervalMs: number;
  readonly now: () => number;
  readonly progress: (line: string) => void;
}

export interface BuiltDataset {
  readonly dataset: DatasetSummary;
  readonly features: FeatureChoice;
  /** Rows the query returned (requests with a positive, before sampling). */
  readonly receivedRows: number;
  readonly keptRows: number;
  readonly requests: number;
}

/**
 * Extract → sample → write: picks the run's columns, streams the training-set query (one request's rows
 * arrive together, in request-time order), keeps each request's sample and writes the trainer's dataset
 * directory with the time-based split.
 */
export async function buildDataset(deps: DatasetStageDependencies, options: RunOptions, window: DataWindow, dir: string, signal?: AbortSignal): Promise<BuiltDataset> {
  const base = { database: deps.database, fromMs: window.fromMs, toMs: window.toMs, userIdPrefix: options.userIdPrefix };
  const lists = await deps.source.featureLists(featureListsQuery(base));
  const features = chooseFeatures(lists, options.features);
  deps.progress(
    `features: ${features.featureNames.length} columns, ${features.why}${features.dropped.length === 0 ? '' : `; dropped (not ranking features): ${features.dropped.join(', ')}`}`,
  );
  const sampling: SamplingSettings = {
    maxRowsPerRequest: options.maxRowsPerRequest,
    // every ensemble member trains on its own negativesPerPositive share (jobs/retrain/python: ensemble.py)
    negativesPerPositive: options.negativesPerPositive * options.ensemble,
    seed: options.sampleSeed,
    hardNegativeShare: options.hardNegativeShare,
  };
  const writer = await DatasetWriter.create(dir, features.featureNames);
  const started = deps.now();
  let lastLine = started;
  let received = 0;
  let requests = 0;
  let current: { readonly requestId: string; readonly timeMs: number; readonly rows: TrainingRow[] } | undefined;
  const flush = async (): Promise<void> => {
    if (current === undefined) return;
    await writer.addRequest(current.timeMs, sampleRequest(current.requestId, current.rows, sampling));
  };
  try {
    const query = trainingSetQuery({
      ...base,
      labelWindowMs: options.labelWindowMs,
      featureNames: features.featureNames,
      featureListIds: lists.map((list) => list.id),
      negativeSample: { negativesPerPositive: sampling.negativesPerPositive, seed: sampling.seed, hardShare: sampling.hardNegativeShare },
    });
    for await (const row of deps.source.rows(query, { align: featureAligner(features.featureNames, lists), onProgress: (progress) => deps.progress(queryProgressLine(progress)), progressIntervalMs: deps.progressIntervalMs, signal })) {
      received += 1;
      if (current?.requestId !== row.requestId) {
        await flush();
        current = { requestId: row.requestId, timeMs: row.exposureMs, rows: [] };
        requests += 1;
      }
      current.rows.push(row);
      const now = deps.now();
      if (now - lastLine >= deps.progressIntervalMs) {
        deps.progress(receivedProgressLine(received, requests, (now - started) / 1000));
        lastLine = now;
      }
    }
    await flush();
    deps.progress(`${receivedProgressLine(received, requests, (deps.now() - started) / 1000)}; kept ${formatCount(BigInt(writer.rows))} rows after sampling`);
    const dataset = await writer.finish({ valid: options.validFraction, holdout: options.holdoutFraction });
    return { dataset, features, receivedRows: received, keptRows: writer.rows, requests };
  } catch (error) {
    await writer.abort();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
