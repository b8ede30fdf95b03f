import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  AppError,
  ErrorCode,
  clickHouseConfigInput,
  clickHouseConfigSchema,
  clickHouseEnvironmentVariables,
  envNumber,
  kafkaConfigInput,
  kafkaConfigSchema,
  kafkaEnvironmentVariables,
  metricsListenInput,
  metricsListenSchema,
  parseConfig,
} from '@streamrec/foundation';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';
import { parseSettings, type DqSettings } from './settings.js';

/**
 * Where the stack is (the environment and the stack's env files): the only module of the job that reads
 * process.env. What the checks judge is config/data-quality.yaml (settings.ts).
 */
export const DEFAULT_METRICS_PORT = 19_107;

export const stackSchema = z.strictObject({
  clickhouse: clickHouseConfigSchema,
  kafka: kafkaConfigSchema,
  metrics: metricsListenSchema,
  /** config/data-quality.yaml unless --config names another file. */
  settingsFile: z.string().min(1),
  /** Bounds the per-item and price queries (rows). */
  rowLimit: z.number().int().positive(),
});
export type DqStack = z.infer<typeof stackSchema>;

export const environmentVariables = {
  ...clickHouseEnvironmentVariables('database of the checked tables and of dq_runs (streamrec)'),
  STREAMREC_DQ_QUERY_TIMEOUT_MS: 'longest a ClickHouse query may take (default 300000)',
  ...kafkaEnvironmentVariables('admin'),
  STREAMREC_DQ_METRICS_HOST: '/metrics address of loop and --serve (default 127.0.0.1)',
  STREAMREC_DQ_METRICS_PORT: `/metrics port of loop (default ${DEFAULT_METRICS_PORT})`,
  STREAMREC_DQ_CONFIG: 'settings file when --config is not given (default config/data-quality.yaml)',
  STREAMREC_DQ_ROW_LIMIT: 'most rows read by the price and per-item queries (default 2000000)',
} as const;

export function loadDqStack(environment: Readonly<Record<string, string | undefined>> = process.env): DqStack {
  const env = loadStackEnv(environment);
  return parseConfig(
    stackSchema,
    {
      clickhouse: clickHouseConfigInput(env, 'STREAMREC_DQ_QUERY_TIMEOUT_MS'),
      kafka: kafkaConfigInput(env, 'admin'),
      metrics: metricsListenInput(env, 'STREAMREC_DQ_METRICS', DEFAULT_METRICS_PORT),
      settingsFile: env['STREAMREC_DQ_CONFIG'] ?? join(repoRoot, 'config', 'data-quality.yaml'),
      rowLimit: envNumber(env, 'STREAMREC_DQ_ROW_LIMIT', 2_000_000),
    },
    'dq',
  );
}

/** Reads and validates the settings file (every violation listed); relative paths are from the working directory. */
export async function loadSettings(file: string): Promise<{ settings: DqSettings; path: string }> {
  const path = isAbsolute(file) ? file : resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AppError(ErrorCode.ConfigInvalid, `cannot read the data-quality settings ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return { settings: parseSettings(text, path), path };
}
