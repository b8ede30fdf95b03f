import { z } from 'zod';
import { parseStateVersion } from '../state/keys.js';

/**
 * What every stream process configures the same way: Kafka, Redis, the state version its keys carry,
 * its consumer groups' suffix and start position, the metrics listener, logging and retry backoff.
 * Each process extends this schema with its own topics and parameters.
 */
export function processorConfigSchema(processor: string, defaultMetricsPort: number) {
  return z.object({
    kafka: z.object({
      brokers: z.array(z.string().min(1)).min(1),
      clientId: z.string().min(1).default(`streamrec-${processor}`),
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
    /** Suffix of the process's consumer groups (`<processor>-<stage>-<groupVersion>`). */
    groupVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    /** Where a consumer group without committed offsets starts: `earliest` rebuilds state, `latest` skips history. */
    startFrom: z.enum(['earliest', 'latest']).default('earliest'),
    metrics: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(defaultMetricsPort) }).prefault({}),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), pretty: z.boolean().default(false) })
      .prefault({}),
    maxRetryDelayMs: z.number().int().positive().default(10_000),
  });
}

/** The environment variables behind `processorConfigInput`, for `--help` and the READMEs. */
export function processorEnvironmentVariables(prefix: string, defaultMetricsPort: number): Readonly<Record<string, string>> {
  return {
    STREAMREC_HOST: 'host of the local stack (default 127.0.0.1)',
    STREAMREC_KAFKA_PORT: 'Kafka port of the local stack (19092)',
    STREAMREC_KAFKA_BROKERS: 'comma-separated brokers; overrides host:port',
    STREAMREC_REDIS_PORT: 'Redis port (16379)',
    [`STREAMREC_${prefix}_STATE_VERSION`]: 'state version of the keys, v1, v2, … (default v1)',
    [`STREAMREC_${prefix}_GROUP_VERSION`]: 'consumer group suffix (default 1)',
    [`STREAMREC_${prefix}_START_FROM`]: 'earliest | latest, for groups without committed offsets (default earliest)',
    [`STREAMREC_${prefix}_METRICS_HOST`]: 'metrics listen host (default 127.0.0.1)',
    [`STREAMREC_${prefix}_METRICS_PORT`]: `metrics listen port (default ${defaultMetricsPort})`,
    STREAMREC_LOG_LEVEL: 'pino level (default info)',
    STREAMREC_LOG_PRETTY: 'true for pretty logs on a terminal',
  };
}

/** Raw (unvalidated) input for `processorConfigSchema` from the merged stack environment. */
export function processorConfigInput(env: Readonly<Record<string, string | undefined>>, prefix: string): Record<string, unknown> {
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  const number = (key: string): number | undefined => (env[key] === undefined ? undefined : Number(env[key]));
  return {
    kafka: { brokers: env['STREAMREC_KAFKA_BROKERS']?.split(',').map((broker) => broker.trim()) ?? [`${host}:${env['STREAMREC_KAFKA_PORT'] ?? '19092'}`] },
    redis: { host, port: number('STREAMREC_REDIS_PORT') ?? 16_379 },
    stateVersion: env[`STREAMREC_${prefix}_STATE_VERSION`] ?? 'v1',
    groupVersion: env[`STREAMREC_${prefix}_GROUP_VERSION`] ?? '1',
    startFrom: env[`STREAMREC_${prefix}_START_FROM`],
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
