import { join } from 'node:path';
import { z } from 'zod';
import { parseConfig } from '@streamrec/foundation';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';

/**
 * Where the stack is (the environment and the stack's env files): the only module of the job that reads
 * process.env. What an experiment is split into comes from config/experiments.yaml (the API's file).
 */
export const DEFAULT_METRICS_PORT = 19_109;

export const stackSchema = z.strictObject({
  clickhouse: z.strictObject({
    url: z.url(),
    username: z.string().min(1),
    password: z.string(),
    /** Interpolated into SQL as an identifier: plain names only. */
    database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a plain identifier'),
    requestTimeoutMs: z.number().int().positive(),
  }),
  metrics: z.strictObject({ host: z.string().min(1), port: z.number().int().min(0).max(65_535) }),
  /** config/experiments.yaml unless --config names another file. */
  experimentsFile: z.string().min(1),
  /** Most per-user rows one experiment may return (per query). */
  rowLimit: z.number().int().positive(),
});
export type ExperimentsStack = z.infer<typeof stackSchema>;

export const environmentVariables = {
  STREAMREC_CLICKHOUSE_URL: 'ClickHouse HTTP URL (default http://127.0.0.1:$STREAMREC_CLICKHOUSE_HTTP_PORT)',
  STREAMREC_CLICKHOUSE_USER: 'ClickHouse user (streamrec); STREAMREC_CLICKHOUSE_PASSWORD its password',
  STREAMREC_CLICKHOUSE_DATABASE: 'database of exposures and interactions (streamrec)',
  STREAMREC_EXPERIMENTS_FILE: 'experiments config when --config is not given (default config/experiments.yaml, as the API)',
  STREAMREC_EXPERIMENTS_QUERY_TIMEOUT_MS: 'longest a ClickHouse query may take (default 300000)',
  STREAMREC_EXPERIMENTS_ROW_LIMIT: 'most per-user rows read per experiment and query (default 2000000)',
  STREAMREC_EXPERIMENTS_METRICS_HOST: '/metrics address of loop (default 127.0.0.1)',
  STREAMREC_EXPERIMENTS_METRICS_PORT: `/metrics port of loop (default ${DEFAULT_METRICS_PORT})`,
} as const;

export function loadExperimentsStack(environment: Readonly<Record<string, string | undefined>> = process.env): ExperimentsStack {
  const env = loadStackEnv(environment);
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  const number = (key: string, fallback: number): number => (env[key] === undefined || env[key] === '' ? fallback : Number(env[key]));
  return parseConfig(
    stackSchema,
    {
      clickhouse: {
        url: env['STREAMREC_CLICKHOUSE_URL'] ?? `http://${host}:${env['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`,
        username: env['STREAMREC_CLICKHOUSE_USER'] ?? 'streamrec',
        password: env['STREAMREC_CLICKHOUSE_PASSWORD'] ?? '',
        database: env['STREAMREC_CLICKHOUSE_DATABASE'] ?? 'streamrec',
        requestTimeoutMs: number('STREAMREC_EXPERIMENTS_QUERY_TIMEOUT_MS', 300_000),
      },
      metrics: { host: env['STREAMREC_EXPERIMENTS_METRICS_HOST'] ?? '127.0.0.1', port: number('STREAMREC_EXPERIMENTS_METRICS_PORT', DEFAULT_METRICS_PORT) },
      experimentsFile: env['STREAMREC_EXPERIMENTS_FILE'] ?? join(repoRoot, 'config', 'experiments.yaml'),
      rowLimit: number('STREAMREC_EXPERIMENTS_ROW_LIMIT', 2_000_000),
    },
    'experiments',
  );
}
