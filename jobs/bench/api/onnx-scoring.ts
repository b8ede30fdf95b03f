import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Logger } from '@streamrec/foundation/process';
import { seededRandom } from '@streamrec/foundation';
import { syntheticTrees, treeEnsembleRankerModel } from '@streamrec/ranking';
import { startModelRegistry } from '@streamrec/api/app';
import { loadOnnxRanker } from '@streamrec/ranking/runtime';
import type { RankerModel } from '@streamrec/ranking';
import { RANKING_FEATURES } from '@streamrec/ranking';

export interface ScoringTiming {
  readonly model: string;
  readonly features: number;
  readonly rows: number;
  readonly iterations: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface ScoringOptions {
  readonly rows: number;
  readonly iterations: number;
  readonly warmups: number;
}

export interface OnnxFigures {
  /** The model serving `ranker` from models.published.v1, or why there is none. */
  readonly published: ScoringTiming | { readonly skipped: string };
  /** A synthetic LightGBM-sized ensemble (200 trees of depth 6 over every ranking feature). */
  readonly syntheticTrees: ScoringTiming;
}

/** `score(rows)` on random rows in [0, 1), one call at a time: the ranker's cost alone, no HTTP or Redis. */
export async function timeScoring(model: RankerModel, options: ScoringOptions): Promise<ScoringTiming> {
  const features = model.featureNames.length;
  const random = seededRandom(17);
  const input = new Float32Array(options.rows * features);
  for (let index = 0; index < input.length; index += 1) input[index] = random();
  for (let run = 0; run < options.warmups; run += 1) await model.score(input, options.rows);
  const times: number[] = [];
  for (let run = 0; run < options.iterations; run += 1) {
    const start = performance.now();
    await model.score(input, options.rows);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => Number(times[Math.min(times.length - 1, Math.max(0, Math.ceil(q * times.length) - 1))]!.toFixed(3));
  return { model: `${model.name}@${model.version}`, features, rows: options.rows, iterations: options.iterations, medianMs: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

/** An ONNX file to time instead of the published model (its input columns in order). */
export interface ModelFile {
  readonly path: string;
  readonly featureNames: readonly string[];
}

export async function measureOnnxScoring(kafka: Kafka, topic: string, log: Logger, options: ScoringOptions, modelFile?: ModelFile): Promise<OnnxFigures> {
  const published = modelFile === undefined ? await timePublished(kafka, topic, log, options) : await timeFile(modelFile, options);
  const featureNames = [...RANKING_FEATURES];
  const onnx = treeEnsembleRankerModel({ featureNames, trees: syntheticTrees({ trees: 200, depth: 6, featureCount: featureNames.length, seed: 42 }), baseValue: 0 });
  const trees = await loadOnnxRanker({ name: 'synthetic-trees-200x6', version: 'bench', featureNames, onnx });
  try {
    return { published, syntheticTrees: await timeScoring(trees, options) };
  } finally {
    await trees.release();
  }
}

async function timeFile(file: ModelFile, options: ScoringOptions): Promise<ScoringTiming> {
  const ranker = await loadOnnxRanker({ name: basename(file.path), version: 'file', featureNames: file.featureNames, onnx: await readFile(file.path) });
  try {
    return await timeScoring(ranker, options);
  } finally {
    await ranker.release();
  }
}

async function timePublished(kafka: Kafka, topic: string, log: Logger, options: ScoringOptions): Promise<OnnxFigures['published']> {
  const registry = await startModelRegistry({ kafka, log, metrics: { loaded() {}, rejected() {} } }, { topic });
  let published: OnnxFigures['published'];
  try {
    await Promise.race([registry.caughtUp(), new Promise((_, reject) => setTimeout(() => reject(new Error(`${topic} not caught up after 60 s`)), 60_000).unref())]);
    const ranker = registry.current('ranker');
    published = ranker === undefined ? { skipped: `no model named 'ranker' on ${topic}` } : await timeScoring(ranker, options);
  } finally {
    await registry.stop();
  }
  return published;
}
