import { join } from 'node:path';
import { z } from 'zod';
import { jsonSetting, kafkaConfigInput, kafkaConfigSchema, kafkaEnvironmentVariables, parseConfig, redisConfigInput, redisConfigSchema, redisEnvironmentVariables } from '@streamrec/foundation';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';
import { featuresParamsSchema } from '@streamrec/features';
import { trendingParamsSchema } from '@streamrec/trending';

const positiveInt = z.number().int().positive();

/** The API's configuration: validated once at boot (every violation listed), frozen, passed in. */
export const apiConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(18_080),
  /** The operations listener: /readyz, /metrics, /admin/* and /docs, kept off the public port (docs/api.md: Operations listener). */
  ops: z.strictObject({ host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(18_081) }).prefault({}),
  kafka: kafkaConfigSchema.safeExtend({ clientId: z.string().default('streamrec-api') }),
  redis: redisConfigSchema,
  topics: z
    .strictObject({
      interactions: z.string().default('events.interactions.v1'),
      exposures: z.string().default('serving.exposures.v1'),
      items: z.string().default('events.items.v1'),
      models: z.string().default('models.published.v1'),
    })
    .prefault({}),
  /** user/item: of events.interactions.v1 and the repartition topic; users: of events.users.v1 (shop profiles). */
  partitions: z.strictObject({ user: positiveInt.default(6), item: positiveInt.default(6), users: positiveInt.default(3) }).prefault({}),
  /** Pin the state version (a canary on a replay's new version, tests); unset: follow `sr:active-version`. */
  stateVersion: z.string().regex(/^v[1-9]\d{0,5}$/, 'must look like v1, v2, …').optional(),
  paths: z.strictObject({
    experiments: z.string().min(1),
    apiKeys: z.string().min(1),
    dataDir: z.string().min(1),
    /** PEM Ed25519 public key of the model publishers: when set, only publications signed with its private key serve. */
    modelVerifyKey: z.string().min(1).optional(),
  }),
  /** Per-stage budgets (ms). redis_recall runs up to twice (neighbours, then similar users' items). */
  budgetsMs: z
    .strictObject({
      redis_profile: positiveInt.default(15),
      redis_recall: positiveInt.default(15),
      redis_features: positiveInt.default(20),
      ranking: positiveInt.default(25),
    })
    .prefault({}),
  recall: z
    .strictObject({
      candidates: positiveInt.max(2_000).default(300),
      perChannel: positiveInt.max(1_000).default(100),
      seeds: positiveInt.max(50).default(10),
      seedDecay: z.number().gt(0).max(1).default(0.5),
      topAffinities: positiveInt.max(20).default(3),
      similarUsers: z.number().int().min(0).max(200).default(20),
      coldStartInteractions: z.number().int().min(0).default(3),
    })
    .prefault({}),
  depths: z
    .strictObject({
      recentItems: positiveInt.max(500).default(50),
      purchasedItems: positiveInt.max(10_000).default(1_000),
      affinities: positiveInt.max(100).default(10),
      neighbours: positiveInt.max(200).default(50),
      recentUsers: positiveInt.max(200).default(30),
      similarUserItems: positiveInt.max(100).default(10),
    })
    .prefault({}),
  /** State shared by all users (item features, item neighbour lists) is cached this long; 0 reads it every time. */
  itemStats: z
    .strictObject({ ttlMs: z.number().int().min(0).default(2_000), neighboursTtlMs: z.number().int().min(0).default(1_000), cacheSize: positiveInt.default(200_000) })
    .prefault({}),
  snapshot: z
    .strictObject({
      refreshMs: positiveInt.default(5_000),
      depth: positiveInt.default(5_000),
      listLimit: positiveInt.default(300),
      /** What "popular" means: forward-decayed popularity (live default), or plain event counts (evaluation's popularity check). */
      popularity: z.enum(['decayed', 'counts']).default('decayed'),
    })
    .prefault({}),
  answerCache: z.strictObject({ capacity: positiveInt.default(100_000), saveEveryMs: positiveInt.default(30_000) }).prefault({}),
  /** Bounds on loading a published ranker (docs/api.md: Models). */
  models: z
    .strictObject({ maxBytes: positiveInt.default(64 * 1024 * 1024), loadTimeoutMs: positiveInt.default(60_000), quarantineAfterCrashes: positiveInt.default(2) })
    .prefault({}),
  exposures: z
    .strictObject({
      maxQueued: positiveInt.default(50_000),
      flushEveryMs: positiveInt.default(50),
      batchSize: positiveInt.default(500),
      /**
       * Share of the ranked candidates that were not shown logged with their features (shown = false), so a
       * later label on an item the ranker placed low still teaches it (jobs/retrain). 0 logs only what was shown.
       */
      unshownSampleRate: z.number().min(0).max(1).default(0.1),
    })
    .prefault({}),
  breaker: z.strictObject({ failureThreshold: positiveInt.default(5), cooldownMs: positiveInt.default(10_000) }).prefault({}),
  activeVersionRefreshMs: positiveInt.default(1_000),
  http: z
    .strictObject({
      bodyLimitBytes: positiveInt.default(16_384),
      maxLimit: positiveInt.max(500).default(100),
      defaultLimit: positiveInt.default(20),
      maxExclude: positiveInt.max(5_000).default(500),
      docs: z.boolean().default(true),
      /** Behind a proxy, take the client address from X-Forwarded-For (it is never logged raw). */
      trustProxy: z.boolean().default(false),
      /** Failed authentications (unknown, malformed or disabled keys) one client address may make per window. */
      authFailures: z.strictObject({ max: positiveInt.default(20), windowSeconds: positiveInt.default(60) }).prefault({}),
      /** Count each key's requests in Redis, shared by every API instance (one Redis call per request), instead of per process. */
      sharedRateLimit: z.boolean().default(false),
      /** A shared count slower than this lets the request through uncounted. */
      sharedRateLimitTimeoutMs: positiveInt.default(50),
    })
    .prefault({}),
  featuresParams: featuresParamsSchema.prefault({}),
  trendingParams: trendingParamsSchema.prefault({}),
  log: z.strictObject({ level: z.string().default('info'), pretty: z.boolean().default(false) }).prefault({}),
});
export type ApiConfig = z.infer<typeof apiConfigSchema>;
export type ApiConfigInput = z.input<typeof apiConfigSchema>;

export function parseApiConfig(input: unknown): ApiConfig {
  return parseConfig(apiConfigSchema, input, 'api');
}

/** The environment variables the API reads (README and `--help`). */
export const environmentVariables = {
  STREAMREC_HOST: 'host of the local stack (default 127.0.0.1)',
  ...kafkaEnvironmentVariables('api'),
  ...redisEnvironmentVariables('api'),
  STREAMREC_API_HOST: 'listen host (default 127.0.0.1)',
  STREAMREC_API_PORT: 'listen port (default 18080)',
  STREAMREC_API_OPS_HOST: 'listen host of the operations listener: /readyz, /metrics, /admin, /docs (default 127.0.0.1)',
  STREAMREC_API_OPS_PORT: 'listen port of the operations listener (default 18081)',
  STREAMREC_API_KEYS_FILE: 'hashed API keys (default .stack/api-keys.yaml; `npm run api:keys -- create`)',
  STREAMREC_EXPERIMENTS_FILE: 'experiments (default config/experiments.yaml), hot-reloaded',
  STREAMREC_API_DATA_DIR: 'content index and fallback lists on disk (default .stack/api)',
  STREAMREC_MODEL_VERIFY_KEY_FILE: 'PEM Ed25519 public key; when set, only model publications signed with its private key serve (.stack/secrets.env sets it locally)',
  STREAMREC_API_STATE_VERSION: 'pin the state version read (default: follow sr:active-version, switched by `npm run replay -- switch`)',
  STREAMREC_API_SETTINGS: 'JSON merged over the defaults: budgetsMs, recall, depths, itemStats, snapshot, answerCache, models, exposures, breaker, activeVersionRefreshMs, http, topics, partitions',
  STREAMREC_FEATURES_PARAMS: 'the features processor params (decay) — must match the processor',
  STREAMREC_TRENDING_PARAMS: 'the trending processor params (windows) — must match the processor',
  STREAMREC_LOG_LEVEL: 'pino level (default info)',
  STREAMREC_LOG_PRETTY: 'true for pretty logs on a terminal',
} as const;

/** The only place the API reads the process environment. */
export function loadApiConfig(environment: Readonly<Record<string, string | undefined>> = process.env): ApiConfig {
  const env = loadStackEnv(environment);
  const settings = jsonSetting(env['STREAMREC_API_SETTINGS'], 'STREAMREC_API_SETTINGS');
  return parseApiConfig({
    ...(typeof settings === 'object' && settings !== null ? settings : {}),
    host: env['STREAMREC_API_HOST'] ?? '127.0.0.1',
    port: env['STREAMREC_API_PORT'] === undefined ? undefined : Number(env['STREAMREC_API_PORT']),
    ops: { host: env['STREAMREC_API_OPS_HOST'], port: env['STREAMREC_API_OPS_PORT'] === undefined ? undefined : Number(env['STREAMREC_API_OPS_PORT']) },
    stateVersion: env['STREAMREC_API_STATE_VERSION'] === '' ? undefined : env['STREAMREC_API_STATE_VERSION'],
    kafka: kafkaConfigInput(env, 'api'),
    redis: redisConfigInput(env, 'api'),
    paths: {
      experiments: env['STREAMREC_EXPERIMENTS_FILE'] ?? join(repoRoot, 'config', 'experiments.yaml'),
      apiKeys: env['STREAMREC_API_KEYS_FILE'] ?? join(repoRoot, '.stack', 'api-keys.yaml'),
      dataDir: env['STREAMREC_API_DATA_DIR'] ?? join(repoRoot, '.stack', 'api'),
      modelVerifyKey: env['STREAMREC_MODEL_VERIFY_KEY_FILE'] === '' ? undefined : env['STREAMREC_MODEL_VERIFY_KEY_FILE'],
    },
    featuresParams: jsonSetting(env['STREAMREC_FEATURES_PARAMS'], 'STREAMREC_FEATURES_PARAMS'),
    trendingParams: jsonSetting(env['STREAMREC_TRENDING_PARAMS'], 'STREAMREC_TRENDING_PARAMS'),
    log: { level: env['STREAMREC_LOG_LEVEL'], pretty: env['STREAMREC_LOG_PRETTY'] === 'true' },
  });
}
