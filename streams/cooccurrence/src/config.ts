import { z } from 'zod';
import { loadStackEnv, parseConfig, parseStateVersion } from '@streamrec/shared';
import { cooccurrenceParamsSchema } from './domain/cooccurrence-params.js';

/** The cooccurrence process's configuration: validated once at boot (every violation listed), frozen. */
export const cooccurrenceConfigSchema = z.object({
  kafka: z.object({
    brokers: z.array(z.string().min(1)).min(1),
    clientId: z.string().min(1).default('streamrec-cooccurrence'),
  }),
  redis: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65_535) }),
  /** State version the keys are written under (`sr:<version>:…`); bound to t₀ of forward decay. */
  stateVersion: z.string().transform((value, ctx) => {
    try {
      return parseStateVersion(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
  /** Suffix of the consumer groups `cooccurrence-user-<groupVersion>` and `cooccurrence-item-<groupVersion>`. */
  groupVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  /** Where a consumer group without committed offsets starts: `earliest` rebuilds state, `latest` skips history. */
  startFrom: z.enum(['earliest', 'latest']).default('earliest'),
  topics: z
    .object({
      interactions: z.string().default('events.interactions.v1'),
      itemActivity: z.string().default('repartition.item-activity.v1'),
    })
    .prefault({}),
  partitions: z.object({ user: z.number().int().positive().default(6), item: z.number().int().positive().default(6) }).prefault({}),
  metrics: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(19_103) }).prefault({}),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), pretty: z.boolean().default(false) }).prefault({}),
  maxRetryDelayMs: z.number().int().positive().default(10_000),
  /** Refuse to start when the decay horizon is closer than this (README: rebasing t₀). */
  minHorizonMarginMs: z.number().int().nonnegative().default(180 * 86_400_000),
  params: cooccurrenceParamsSchema.prefault({}),
});
export type CooccurrenceConfig = z.infer<typeof cooccurrenceConfigSchema>;
export type CooccurrenceConfigInput = z.input<typeof cooccurrenceConfigSchema>;

export function parseCooccurrenceConfig(input: unknown): CooccurrenceConfig {
  return parseConfig(cooccurrenceConfigSchema, input, 'cooccurrence');
}

/** The environment variables the process reads (documented in the README and `--help`). */
export const environmentVariables = {
  STREAMREC_HOST: 'host of the local stack (default 127.0.0.1)',
  STREAMREC_KAFKA_PORT: 'Kafka port of the local stack (19092)',
  STREAMREC_KAFKA_BROKERS: 'comma-separated brokers; overrides host:port',
  STREAMREC_REDIS_PORT: 'Redis port (16379)',
  STREAMREC_COOCCURRENCE_STATE_VERSION: 'state version of the keys, v1, v2, … (default v1)',
  STREAMREC_COOCCURRENCE_GROUP_VERSION: 'consumer group suffix (default 1)',
  STREAMREC_COOCCURRENCE_START_FROM: 'earliest | latest, for groups without committed offsets (default earliest)',
  STREAMREC_COOCCURRENCE_METRICS_HOST: 'metrics listen host (default 127.0.0.1)',
  STREAMREC_COOCCURRENCE_METRICS_PORT: 'metrics listen port (default 19103)',
  STREAMREC_COOCCURRENCE_PARAMS: 'JSON of cooccurrence params overriding the defaults (README: Parameters)',
  STREAMREC_LOG_LEVEL: 'pino level (default info)',
  STREAMREC_LOG_PRETTY: 'true for pretty logs on a terminal',
} as const;

/** The only place the process environment is read. */
export function loadCooccurrenceConfig(environment: Readonly<Record<string, string | undefined>> = process.env): CooccurrenceConfig {
  const env = loadStackEnv(environment);
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  const number = (key: string): number | undefined => (env[key] === undefined ? undefined : Number(env[key]));
  return parseCooccurrenceConfig({
    kafka: { brokers: env['STREAMREC_KAFKA_BROKERS']?.split(',').map((broker) => broker.trim()) ?? [`${host}:${env['STREAMREC_KAFKA_PORT'] ?? '19092'}`] },
    redis: { host, port: number('STREAMREC_REDIS_PORT') ?? 16_379 },
    stateVersion: env['STREAMREC_COOCCURRENCE_STATE_VERSION'] ?? 'v1',
    groupVersion: env['STREAMREC_COOCCURRENCE_GROUP_VERSION'] ?? '1',
    startFrom: env['STREAMREC_COOCCURRENCE_START_FROM'],
    metrics: { host: env['STREAMREC_COOCCURRENCE_METRICS_HOST'], port: number('STREAMREC_COOCCURRENCE_METRICS_PORT') },
    log: { level: env['STREAMREC_LOG_LEVEL'], pretty: env['STREAMREC_LOG_PRETTY'] === 'true' },
    params: parseJson(env['STREAMREC_COOCCURRENCE_PARAMS']),
  });
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return 'STREAMREC_COOCCURRENCE_PARAMS is not valid JSON';
  }
}
