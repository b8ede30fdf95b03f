import { join } from 'node:path';
import { z } from 'zod';
import { kafkaConfigInput, kafkaConfigSchema, kafkaEnvironmentVariables, parseConfig } from '@streamrec/foundation';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';

/** Kafka topic names (they reach no SQL, but a typo should fail at boot, not at publication). */
const topicName = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'a Kafka topic name (letters, digits, ".", "_", "-")');

/** The retrain job's configuration (where things are), validated once, every violation listed, frozen. What a run does is CLI options. */
export const retrainConfigSchema = z.strictObject({
  kafka: kafkaConfigSchema,
  clickhouse: z.strictObject({
    url: z.url(),
    username: z.string().min(1),
    password: z.string(),
    /** Interpolated into SQL as an identifier: plain names only. */
    database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a plain identifier'),
    /** One extraction query may run long on a big window. */
    requestTimeoutMs: z.number().int().positive(),
  }),
  topics: z.strictObject({ published: topicName, history: topicName }),
  /** PEM Ed25519 private key winners are signed with (the API verifies with its public key); absent: unsigned. */
  signingKeyFile: z.string().min(1).optional(),
  /** The trainer's interpreter: .stack/venv, created by `npm run setup` from jobs/retrain/python/requirements.lock. */
  python: z.string().min(1),
  /** Datasets and trainer outputs, one folder per run. */
  workDir: z.string().min(1),
  mlflow: z.strictObject({
    trackingUri: z.string().regex(/^(sqlite:\/\/\/.+|https?:\/\/.+)$/, 'sqlite:///<path> or http(s)://<server>'),
    experiment: z.string().min(1),
  }),
  /** /metrics of `loop` (a model-staleness alert reads it). */
  metrics: z.strictObject({ host: z.string().min(1), port: z.number().int().min(0).max(65_535) }),
  /** Seconds between progress lines of long stages. */
  progressIntervalMs: z.number().int().positive(),
  /** pino level of `loop` (NDJSON on stderr). */
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) }),
});
export type RetrainConfig = z.infer<typeof retrainConfigSchema>;

export const DEFAULT_METRICS_PORT = 19_106;

/** The environment variables the job reads (printed by --help). */
export const environmentVariables = {
  ...kafkaEnvironmentVariables('model'),
  STREAMREC_CLICKHOUSE_URL: 'ClickHouse HTTP URL (default http://127.0.0.1:$STREAMREC_CLICKHOUSE_HTTP_PORT)',
  STREAMREC_CLICKHOUSE_USER: 'ClickHouse user (streamrec); STREAMREC_CLICKHOUSE_PASSWORD its password (.stack/secrets.env)',
  STREAMREC_CLICKHOUSE_DATABASE: 'database of exposures, interactions and model_runs (streamrec)',
  STREAMREC_RETRAIN_QUERY_TIMEOUT_MS: 'longest a ClickHouse query may take (default 1800000)',
  STREAMREC_MODELS_TOPIC: 'where winners are published (models.published.v1)',
  STREAMREC_MODELS_HISTORY_TOPIC: 'every published version (models.history.v1)',
  STREAMREC_MODEL_SIGNING_KEY_FILE: 'PEM Ed25519 private key winners are signed with (.stack/secrets.env sets it locally; unset: unsigned)',
  STREAMREC_RETRAIN_PYTHON: 'the trainer interpreter (default .stack/venv/bin/python)',
  STREAMREC_RETRAIN_WORK_DIR: 'datasets and model files, one folder per run (default .stack/retrain)',
  STREAMREC_MLFLOW_TRACKING_URI: 'MLflow store (default sqlite:///<repo>/.stack/mlflow/mlflow.db)',
  STREAMREC_MLFLOW_EXPERIMENT: 'MLflow experiment (default streamrec-ranker)',
  STREAMREC_RETRAIN_METRICS_HOST: `/metrics address of 'loop' (default 127.0.0.1)`,
  STREAMREC_RETRAIN_METRICS_PORT: `/metrics port of 'loop' (default ${DEFAULT_METRICS_PORT}; 0 = any free port)`,
  STREAMREC_RETRAIN_PROGRESS_INTERVAL_MS: 'between progress lines (default 5000)',
  STREAMREC_LOG_LEVEL: `pino level of 'loop' (default info)`,
} as const;

export function parseRetrainConfig(input: unknown): RetrainConfig {
  return parseConfig(retrainConfigSchema, input, 'retrain');
}

/** The only place the job reads the process environment. */
export function loadRetrainConfig(environment: Readonly<Record<string, string | undefined>> = process.env): RetrainConfig {
  const env = loadStackEnv(environment);
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  const number = (key: string, fallback: number): number => (env[key] === undefined || env[key] === '' ? fallback : Number(env[key]));
  return parseRetrainConfig({
    kafka: kafkaConfigInput(env, 'model'),
    clickhouse: {
      url: env['STREAMREC_CLICKHOUSE_URL'] ?? `http://${host}:${env['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`,
      username: env['STREAMREC_CLICKHOUSE_USER'] ?? 'streamrec',
      password: env['STREAMREC_CLICKHOUSE_PASSWORD'] ?? '',
      database: env['STREAMREC_CLICKHOUSE_DATABASE'] ?? 'streamrec',
      requestTimeoutMs: number('STREAMREC_RETRAIN_QUERY_TIMEOUT_MS', 1_800_000),
    },
    topics: { published: env['STREAMREC_MODELS_TOPIC'] ?? 'models.published.v1', history: env['STREAMREC_MODELS_HISTORY_TOPIC'] ?? 'models.history.v1' },
    signingKeyFile: env['STREAMREC_MODEL_SIGNING_KEY_FILE'] === '' ? undefined : env['STREAMREC_MODEL_SIGNING_KEY_FILE'],
    python: env['STREAMREC_RETRAIN_PYTHON'] ?? join(repoRoot, '.stack', 'venv', 'bin', 'python'),
    workDir: env['STREAMREC_RETRAIN_WORK_DIR'] ?? join(repoRoot, '.stack', 'retrain'),
    mlflow: {
      trackingUri: env['STREAMREC_MLFLOW_TRACKING_URI'] ?? `sqlite:///${join(repoRoot, '.stack', 'mlflow', 'mlflow.db')}`,
      experiment: env['STREAMREC_MLFLOW_EXPERIMENT'] ?? 'streamrec-ranker',
    },
    metrics: { host: env['STREAMREC_RETRAIN_METRICS_HOST'] ?? '127.0.0.1', port: number('STREAMREC_RETRAIN_METRICS_PORT', DEFAULT_METRICS_PORT) },
    progressIntervalMs: number('STREAMREC_RETRAIN_PROGRESS_INTERVAL_MS', 5000),
    log: { level: env['STREAMREC_LOG_LEVEL'] ?? 'info' },
  });
}
