import { z } from 'zod';
import { loadStackEnv } from '@streamrec/foundation/process';
import { kafkaConfigInput, kafkaConfigSchema, kafkaEnvironmentVariables, kafkaUserVariables, parseConfig, redisConfigInput, redisConfigSchema, redisEnvironmentVariables } from '@streamrec/foundation';

/** Where the local stack is: the only place the harness reads the process environment. */
export const evalStackSchema = z.strictObject({
  /** The admin role's (`streamrec-admin`): the run's own topics and groups; the processor children get the same. */
  kafka: kafkaConfigSchema,
  redis: redisConfigSchema,
  /** The ranker stage trains from the exposures and interactions the ClickHouse sink writes. */
  clickhouse: z.strictObject({ url: z.url(), username: z.string().min(1), password: z.string(), database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('streamrec') }),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn') }).prefault({}),
});
/** The stack's location plus the environment handed to the processor child processes. */
export type EvalStack = z.infer<typeof evalStackSchema> & { readonly childEnvironment: Readonly<Record<string, string | undefined>> };

export const environmentVariables = {
  STREAMREC_HOST: 'host of the local stack (default 127.0.0.1)',
  ...kafkaEnvironmentVariables('admin'),
  ...redisEnvironmentVariables('admin'),
  STREAMREC_CLICKHOUSE_HTTP_PORT: 'ClickHouse HTTP port (18123); STREAMREC_CLICKHOUSE_URL overrides host:port',
  STREAMREC_CLICKHOUSE_USER: 'ClickHouse user (streamrec) and STREAMREC_CLICKHOUSE_PASSWORD (generated into .stack/secrets.env)',
  STREAMREC_EVAL_LOG_LEVEL: 'log level of the in-process processors and API, to stderr (default warn)',
} as const;

export function loadEvalStack(environment: Readonly<Record<string, string | undefined>> = process.env): EvalStack {
  const env = loadStackEnv(environment);
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  const stack = parseConfig(
    evalStackSchema,
    {
      kafka: kafkaConfigInput(env, 'admin'),
      redis: redisConfigInput(env, 'admin'),
      clickhouse: {
        url: env['STREAMREC_CLICKHOUSE_URL'] ?? `http://${host}:${env['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`,
        username: env['STREAMREC_CLICKHOUSE_USER'] ?? 'streamrec',
        password: env['STREAMREC_CLICKHOUSE_PASSWORD'] ?? '',
        database: env['STREAMREC_CLICKHOUSE_DATABASE'],
      },
      log: { level: env['STREAMREC_EVAL_LOG_LEVEL'] },
    },
    'eval',
  );
  // Every process the harness starts (processors, the ClickHouse sink, retrain) works on the run's own
  // eval.* topics and groups: it logs in to Kafka as the harness does (admin), not as its own role.
  return { ...stack, childEnvironment: { ...environment, ...kafkaUserVariables(stack.kafka) } };
}
