import { z } from 'zod';
import { parseStateVersion } from '../state/keys.js';
import { kafkaConfigInput, kafkaConfigSchema, kafkaEnvironmentVariables } from './kafka-config.js';
import { redisConfigInput, redisConfigSchema, redisEnvironmentVariables } from './redis-config.js';

/**
 * What every stream process configures the same way: Kafka, Redis, the state version its keys carry,
 * its consumer groups' suffix and start position, the metrics listener, logging and retry backoff.
 * Each process extends this schema with its own topics and parameters.
 */
export function processorConfigSchema(processor: string, defaultMetricsPort: number) {
  return z.object({
    kafka: kafkaConfigSchema.safeExtend({ clientId: z.string().min(1).default(`streamrec-${processor}`) }),
    redis: redisConfigSchema,
    /** State version the keys are written under (`sr:<version>:…`). */
    stateVersion: z.string().transform((value, ctx) => {
      try {
        return parseStateVersion(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
    /** Suffix of the process's consumer groups (`<processor>-<stage>-<groupVersion>`). */
    groupVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    /** Where a consumer group without committed offsets starts: `earliest` rebuilds state, `latest` skips history. */
    startFrom: z.enum(['earliest', 'latest']).default('earliest'),
    /**
     * Re-run from a point in time: a partition without a stored offset in this state version starts at
     * its first record at or after this instant (epoch ms); ones with a stored offset resume after it.
     */
    startAt: startAtSchema.optional(),
    metrics: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(defaultMetricsPort) }).prefault({}),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), pretty: z.boolean().default(false) })
      .prefault({}),
    maxRetryDelayMs: z.number().int().positive().default(10_000),
    /** Partitions of one consumer processed at the same time (each in order; their state lives in separate slots). */
    partitionConcurrency: z.number().int().min(1).max(32).default(3),
    /** How long the group waits for a silent member (a killed process) before reassigning its partitions. */
    sessionTimeoutMs: z.number().int().min(6_000).max(300_000).default(30_000),
  });
}

/** An ISO-8601 timestamp with a time zone (`2026-03-01T00:00:00Z`) or epoch milliseconds, as epoch ms. */
export const startAtSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseStartAt(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `startAt must be epoch milliseconds or an ISO-8601 timestamp with a zone; got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return ms;
});

/** Epoch ms of an epoch-ms number/text or an ISO timestamp with a zone (Z or ±hh:mm); undefined when invalid. */
export function parseStartAt(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d{1,16}$/.test(text)) return parseStartAt(Number(text));
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms < 0 ? undefined : ms;
}

/** The environment variables behind `processorConfigInput`, for `--help` and the READMEs. */
export function processorEnvironmentVariables(prefix: string, defaultMetricsPort: number): Readonly<Record<string, string>> {
  return {
    STREAMREC_HOST: 'host of the local stack (default 127.0.0.1)',
    ...kafkaEnvironmentVariables('processor'),
    ...redisEnvironmentVariables('processor'),
    [`STREAMREC_${prefix}_STATE_VERSION`]: 'state version of the keys, v1, v2, … (default v1)',
    [`STREAMREC_${prefix}_GROUP_VERSION`]: 'consumer group suffix (default 1)',
    [`STREAMREC_${prefix}_START_FROM`]: 'earliest | latest, for groups without committed offsets (default earliest)',
    [`STREAMREC_${prefix}_START_AT`]: 'ISO timestamp or epoch ms: partitions without a stored offset in the state version start there',
    [`STREAMREC_${prefix}_TOPICS`]: 'JSON object of topic names merged over the defaults (e.g. {"interactions":"my.topic"})',
    [`STREAMREC_${prefix}_PARTITION_CONCURRENCY`]: 'partitions of a consumer processed at the same time, 1–32 (default 3)',
    [`STREAMREC_${prefix}_SESSION_TIMEOUT_MS`]: 'consumer group session timeout, 6000–300000 (default 30000)',
    [`STREAMREC_${prefix}_METRICS_HOST`]: 'metrics listen host (default 127.0.0.1)',
    [`STREAMREC_${prefix}_METRICS_PORT`]: `metrics listen port (default ${defaultMetricsPort})`,
    STREAMREC_LOG_LEVEL: 'pino level (default info)',
    STREAMREC_LOG_PRETTY: 'true for pretty logs on a terminal',
  };
}

/** Raw (unvalidated) input for `processorConfigSchema` from the merged stack environment. */
export function processorConfigInput(env: Readonly<Record<string, string | undefined>>, prefix: string): Record<string, unknown> {
  const number = (key: string): number | undefined => (env[key] === undefined ? undefined : Number(env[key]));
  return {
    kafka: kafkaConfigInput(env, 'processor'),
    redis: redisConfigInput(env, 'processor'),
    stateVersion: env[`STREAMREC_${prefix}_STATE_VERSION`] ?? 'v1',
    groupVersion: env[`STREAMREC_${prefix}_GROUP_VERSION`] ?? '1',
    startFrom: env[`STREAMREC_${prefix}_START_FROM`],
    startAt: env[`STREAMREC_${prefix}_START_AT`] === '' ? undefined : env[`STREAMREC_${prefix}_START_AT`],
    topics: jsonSetting(env[`STREAMREC_${prefix}_TOPICS`], `STREAMREC_${prefix}_TOPICS`),
    partitionConcurrency: number(`STREAMREC_${prefix}_PARTITION_CONCURRENCY`),
    sessionTimeoutMs: number(`STREAMREC_${prefix}_SESSION_TIMEOUT_MS`),
    metrics: { host: env[`STREAMREC_${prefix}_METRICS_HOST`], port: number(`STREAMREC_${prefix}_METRICS_PORT`) },
    log: { level: env['STREAMREC_LOG_LEVEL'], pretty: env['STREAMREC_LOG_PRETTY'] === 'true' },
  };
}

/** A JSON-valued setting; invalid JSON becomes a value the schema rejects with the variable's name. */
export function jsonSetting(text: string | undefined, name: string): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return `${name} is not valid JSON`;
  }
}

/** The consumer-loop settings of a processor's config, as `startBatchConsumer` takes them. */
export function batchConsumerSettings(config: {
  readonly startFrom: 'earliest' | 'latest';
  readonly startAt?: number | undefined;
  readonly maxRetryDelayMs: number;
  readonly partitionConcurrency: number;
  readonly sessionTimeoutMs: number;
}): { fromBeginning: boolean; startAtTimestampMs: number | undefined; maxRetryDelayMs: number; partitionsConsumedConcurrently: number; sessionTimeoutMs: number } {
  return {
    fromBeginning: config.startFrom === 'earliest',
    startAtTimestampMs: config.startAt,
    maxRetryDelayMs: config.maxRetryDelayMs,
    partitionsConsumedConcurrently: config.partitionConcurrency,
    sessionTimeoutMs: config.sessionTimeoutMs,
  };
}
