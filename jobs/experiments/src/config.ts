import { join } from 'node:path';
import { z } from 'zod';
import { clickHouseConfigInput, clickHouseConfigSchema, clickHouseEnvironmentVariables, envNumber, metricsListenInput, metricsListenSchema, parseConfig } from '@streamrec/foundation';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';

/**
 * Where the stack is (the environment and the stack's env files): the only module of the job that reads
 * process.env. What an experiment is split into comes from config/experiments.yaml (the API's file).
 */
export const DEFAULT_METRICS_PORT = 19_109;

export const stackSchema = z.strictObject({
  clickhouse: clickHouseConfigSchema,
  metrics: metricsListenSchema,
  /** config/experiments.yaml unless --config names another file. */
  experimentsFile: z.string().min(1),
  /** Most per-user rows one experiment may return (per query). */
  rowLimit: z.number().int().positive(),
});
export type ExperimentsStack = z.infer<typeof stackSchema>;

export const environmentVariables = {
  ...clickHouseEnvironmentVariables('database of exposures and interactions (streamrec)'),
  STREAMREC_EXPERIMENTS_FILE: 'experiments config when --config is not given (default config/experiments.yaml, as the API)',
  STREAMREC_EXPERIMENTS_QUERY_TIMEOUT_MS: 'longest a ClickHouse query may take (default 300000)',
  STREAMREC_EXPERIMENTS_ROW_LIMIT: 'most per-user rows read per experiment and query (default 2000000)',
  STREAMREC_EXPERIMENTS_METRICS_HOST: '/metrics address of loop (default 127.0.0.1)',
  STREAMREC_EXPERIMENTS_METRICS_PORT: `/metrics port of loop (default ${DEFAULT_METRICS_PORT})`,
} as const;

export function loadExperimentsStack(environment: Readonly<Record<string, string | undefined>> = process.env): ExperimentsStack {
  const env = loadStackEnv(environment);
  return parseConfig(
    stackSchema,
    {
      clickhouse: clickHouseConfigInput(env, 'STREAMREC_EXPERIMENTS_QUERY_TIMEOUT_MS'),
      metrics: metricsListenInput(env, 'STREAMREC_EXPERIMENTS_METRICS', DEFAULT_METRICS_PORT),
      experimentsFile: env['STREAMREC_EXPERIMENTS_FILE'] ?? join(repoRoot, 'config', 'experiments.yaml'),
      rowLimit: envNumber(env, 'STREAMREC_EXPERIMENTS_ROW_LIMIT', 2_000_000),
    },
    'experiments',
  );
}
