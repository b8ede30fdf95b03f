import { z } from 'zod';
import { loadStackEnv } from '@streamrec/foundation/process';
import {
  kafkaEnvironmentVariables,
  loadKafkaConfig,
  loadRedisConfig,
  parseConfig,
  parseStateVersion,
  redisEnvironmentVariables,
  startAtSchema,
  type KafkaConfig,
  type RedisConfig,
  type StateVersion,
} from '@streamrec/foundation';
import { FactSource, resolveNormalizeSettings, type NormalizeSettings } from './domain/index.js';

/** Everything the normalize process needs, validated once at boot and frozen. */
export interface NormalizeConfig {
  /** Brokers (STREAMREC_NORMALIZE_BROKERS, not STREAMREC_KAFKA_BROKERS) and the processor role's SASL credentials. */
  readonly kafka: KafkaConfig;
  readonly clientId: string;
  readonly groupId: string;
  /**
   * A new consumer group starts at the earliest offsets (true, a full replay) or at the latest (false:
   * only changes made from now on; integration tests use it so they need not catch up on the demo data).
   */
  readonly fromBeginning: boolean;
  /** A partition without a stored offset in this state version starts at its first record at or after this time (epoch ms). */
  readonly startAt: number | undefined;
  readonly redis: RedisConfig;
  readonly stateVersion: StateVersion;
  readonly metrics: { readonly host: string; readonly port: number };
  readonly logLevel: string;
  readonly logPretty: boolean;
  readonly maxRetryDelayMs: number;
  /**
   * Entries kept in memory per lazily loaded store (actions, visitors, orders, versions: the ones that
   * grow with the source); the rest stays in Redis and is read per batch. Outputs do not depend on it.
   */
  readonly stateCacheCapacity: number;
  readonly settings: NormalizeSettings;
  /** The key of the visitor-id pseudonyms (HMAC-SHA256); a secret, never logged. */
  readonly visitorPseudonymKey: string;
}

const positiveInt = z.coerce.number().int().positive();
const port = z.coerce.number().int().min(0).max(65_535);
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

const schema = z.object({
  STREAMREC_HOST: z.string().min(1).default('127.0.0.1'),
  STREAMREC_KAFKA_PORT: port.default(19092),
  STREAMREC_REDIS_PORT: port.default(16379),
  STREAMREC_NORMALIZE_BROKERS: z.string().min(1).optional(),
  STREAMREC_NORMALIZE_GROUP_ID: z.string().min(1).default('streamrec-normalize'),
  STREAMREC_NORMALIZE_FROM_BEGINNING: flag.default(true),
  STREAMREC_NORMALIZE_START_AT: startAtSchema.optional(),
  STREAMREC_NORMALIZE_STATE_VERSION: z.string().regex(/^v[1-9]\d{0,5}$/, 'must look like v1, v2, ...').default('v1'),
  STREAMREC_NORMALIZE_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  STREAMREC_NORMALIZE_METRICS_PORT: port.default(19101),
  STREAMREC_NORMALIZE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STREAMREC_NORMALIZE_LOG_PRETTY: flag.default(false),
  STREAMREC_NORMALIZE_MAX_RETRY_DELAY_MS: positiveInt.default(10_000),
  STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY: positiveInt.default(100_000),
  STREAMREC_NORMALIZE_DEDUP_WINDOW: positiveInt.optional(),
  STREAMREC_NORMALIZE_PARKING_CAPACITY: positiveInt.optional(),
  STREAMREC_NORMALIZE_ANONYMOUS_VISITOR_CAPACITY: positiveInt.optional(),
  STREAMREC_NORMALIZE_STITCH_WINDOW_MS: positiveInt.optional(),
  STREAMREC_NORMALIZE_STITCH_MAX_EVENTS: positiveInt.optional(),
  STREAMREC_NORMALIZE_FAVORITE_SOURCE: z.enum([FactSource.Shop, FactSource.Matomo]).optional(),
  STREAMREC_NORMALIZE_PURCHASE_SOURCE: z.enum([FactSource.Shop, FactSource.Matomo]).optional(),
  STREAMREC_VISITOR_PSEUDONYM_KEY: z.string().min(32, 'must be a secret of at least 32 characters (npm run setup writes one into .stack/secrets.env)'),
});

/** The variables `--help` lists, with their defaults. */
export const configVariables: readonly string[] = [
  ...Object.keys(schema.shape),
  ...[...Object.keys(kafkaEnvironmentVariables('processor')), ...Object.keys(redisEnvironmentVariables('processor'))].filter((name) => !(name in schema.shape) && name !== 'STREAMREC_KAFKA_BROKERS'),
];

/** Reads the environment (and the local stack's env files); the only place that touches `process.env`. */
export function loadNormalizeConfig(environment: Readonly<Record<string, string | undefined>> = process.env): NormalizeConfig {
  const stackEnv = loadStackEnv(environment);
  const env = parseConfig(schema, stackEnv, 'normalize');
  const overrides: Partial<Record<keyof NormalizeSettings, unknown>> = {
    dedupWindow: env.STREAMREC_NORMALIZE_DEDUP_WINDOW,
    parkingCapacity: env.STREAMREC_NORMALIZE_PARKING_CAPACITY,
    anonymousVisitorCapacity: env.STREAMREC_NORMALIZE_ANONYMOUS_VISITOR_CAPACITY,
    stitchWindowMs: env.STREAMREC_NORMALIZE_STITCH_WINDOW_MS,
    stitchMaxEvents: env.STREAMREC_NORMALIZE_STITCH_MAX_EVENTS,
    favoriteSource: env.STREAMREC_NORMALIZE_FAVORITE_SOURCE,
    purchaseSource: env.STREAMREC_NORMALIZE_PURCHASE_SOURCE,
  };
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Partial<NormalizeSettings>;
  return Object.freeze({
    // normalize's brokers are its own variable's (compose and Kubernetes set it), STREAMREC_KAFKA_BROKERS is ignored.
    kafka: loadKafkaConfig({ ...stackEnv, STREAMREC_KAFKA_BROKERS: env.STREAMREC_NORMALIZE_BROKERS }, 'processor', 'normalize'),
    clientId: 'streamrec-normalize',
    groupId: env.STREAMREC_NORMALIZE_GROUP_ID,
    fromBeginning: env.STREAMREC_NORMALIZE_FROM_BEGINNING,
    startAt: env.STREAMREC_NORMALIZE_START_AT,
    redis: Object.freeze(loadRedisConfig(stackEnv, 'processor', 'normalize')),
    stateVersion: parseStateVersion(env.STREAMREC_NORMALIZE_STATE_VERSION),
    metrics: Object.freeze({ host: env.STREAMREC_NORMALIZE_METRICS_HOST, port: env.STREAMREC_NORMALIZE_METRICS_PORT }),
    logLevel: env.STREAMREC_NORMALIZE_LOG_LEVEL,
    logPretty: env.STREAMREC_NORMALIZE_LOG_PRETTY,
    maxRetryDelayMs: env.STREAMREC_NORMALIZE_MAX_RETRY_DELAY_MS,
    stateCacheCapacity: env.STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY,
    settings: resolveNormalizeSettings(defined),
    visitorPseudonymKey: env.STREAMREC_VISITOR_PSEUDONYM_KEY,
  });
}
