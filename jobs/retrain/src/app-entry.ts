/** The retrain job for tests and other tools (the CLI is `npm run retrain`). */
export { parseCommandLine, type Command, type RunOptions } from './cli-args.js';
export { loadRetrainConfig, parseRetrainConfig, type RetrainConfig } from './config.js';
export { runRetrain, type RetrainDependencies } from './run-retrain.js';
export { createRetrainDependencies } from './wiring.js';
export type { RunSummary } from './run-summary.js';
export { runLoop } from './retrain-loop.js';
export { createClickHouseTrainingSource, type TrainingRow, type TrainingSource } from './adapters/clickhouse-training-source.js';
export { DatasetWriter, readSplit } from './adapters/dataset-files.js';
export { trainerMetrics, SETUP_HINT } from './adapters/trainer.js';
export { trainingSetQuery, featureListsQuery } from './domain/training-set-query.js';
export { featureAligner, type FeatureAligner } from './domain/feature-alignment.js';
export { rankingMetrics, type RankingMetrics } from './domain/ranking-metrics.js';
export { float64LE } from './domain/dataset-format.js';
export { GRADE_BY_ACTION } from './domain/grades.js';
