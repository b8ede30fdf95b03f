import { z } from 'zod';
import { loadStackEnv, parseConfig, parseStateVersion } from '@streamrec/shared';
import { trendingParamsSchema } from './domain/trending-params.js';

/** The trending process's configuration: validated once at boot (every violation listed), frozen. */
export const trendingConfigSchema = z.object({
  kafka: z.object({
    brokers: z.array(z.string().min(1)).min(1),
    clientId: z.string().min(1).default('streamrec-trending'),
  }),
  redis: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65_535) }),
  /** State version the keys are written under (`sr:<version>:…`). */
  stateVersion: z.string().transform((value, ctx) => {
    try {
      return parseStateVersion(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
  /** Suffix of the consumer groups `trending-item-<groupVersion>` and `trending-catalogue-<groupVersion>`. */
  groupVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  /** Where a consumer group without committed offsets starts: `earliest` rebuilds state, `latest` skips history. */
  startFrom: z.enum(['earliest', 'latest']).default('earliest'),
  topics: z
    .object({
      items: z.string().default('events.items.v1'),
      itemActivity: z.string().default('repartition.item-activity.v1'),
    })
    .prefault({}),
  partitions: z.object({ user: z.number().int().positive().default(6), item: z.number().int().positive().default(6) }).prefault({}),
  metrics: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(19_104) }).prefault({}),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), pretty: z.boolean().default(false) }).prefault({}),
  maxRetryDelayMs: z.number().int().positive().default(10_000),
  params: trendingParamsSchema.prefault({}),
});
export type TrendingConfig = z.infer<typeof trendingConfigSchema>;
export type TrendingConfigInput = z.input<typeof trendingConfigSchema>;

export function parseTrendingConfig(input: unknown): TrendingConfig {
  return parseConfig(trendingConfigSchema, input, 'trending');
}

/** The environment variables the process reads (documented in the README and `--help`). */
export const environmentVariables = {
  STREAMREC_HOST: 'host of the local stack (default 127.0.0.1)',
  STREAMREC_KAFKA_PORT: 'Kafka port of the local stack (19092)',
  STREAMREC_KAFKA_BROKERS: 'comma-separated brokers; overrides host:port',
  STREAMREC_REDIS_PORT: 'Redis port (16379)',
  STREAMREC_TRENDING_STATE_VERSION: 'state version of the keys, v1, v2, … (default v1)',
  STREAMREC_TRENDING_GROUP_VERSION: 'consumer group suffix (default 1)',
  STREAMREC_TRENDING_START_FROM: 'earliest | latest, for groups without committed offsets (default earliest)',
  STREAMREC_TRENDING_METRICS_HOST: 'metrics listen host (default 127.0.0.1)',
  STREAMREC_TRENDING_METRICS_PORT: 'metrics listen port (default 19104)',
  STREAMREC_TRENDING_PARAMS: 'JSON of trending params overriding the defaults (README: Parameters)',
  STREAMREC_LOG_LEVEL: 'pino level (default info)',
  STREAMREC_LOG_PRETTY: 'true for pretty logs on a terminal',
} as const;

/** The only place the process environment is read. */
export function loadTrendingConfig(environment: Readonly<Record<string, string | undefined>> = process.env): TrendingConfig {
  const env = loadStackEnv(environment);
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  const number = (key: string): number | undefined => (env[key] === undefined ? undefined : Number(env[key]));
  return parseTrendingConfig({
    kafka: { brokers: env['STREAMREC_KAFKA_BROKERS']?.split(',').map((broker) => broker.trim()) ?? [`${host}:${env['STREAMREC_KAFKA_PORT'] ?? '19092'}`] },
    redis: { host, port: number('STREAMREC_REDIS_PORT') ?? 16_379 },
    stateVersion: env['STREAMREC_TRENDING_STATE_VERSION'] ?? 'v1',
    groupVersion: env['STREAMREC_TRENDING_GROUP_VERSION'] ?? '1',
    startFrom: env['STREAMREC_TRENDING_START_FROM'],
    metrics: { host: env['STREAMREC_TRENDING_METRICS_HOST'], port: number('STREAMREC_TRENDING_METRICS_PORT') },
    log: { level: env['STREAMREC_LOG_LEVEL'], pretty: env['STREAMREC_LOG_PRETTY'] === 'true' },
    params: parseJson(env['STREAMREC_TRENDING_PARAMS']),
  });
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return 'STREAMREC_TRENDING_PARAMS is not valid JSON';
  }
}
