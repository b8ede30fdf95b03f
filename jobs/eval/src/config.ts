import { z } from 'zod';
import { loadStackEnv } from '@streamrec/foundation/process';
import { parseConfig } from '@streamrec/foundation';

/** Where the local stack is: the only place the harness reads the process environment. */
export const evalStackSchema = z.strictObject({
  kafka: z.strictObject({ brokers: z.array(z.string().min(1)).min(1) }),
  redis: z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65_535) }),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn') }).prefault({}),
});
/** The stack's location plus the environment handed to the processor child processes. */
export type EvalStack = z.infer<typeof evalStackSchema> & { readonly childEnvironment: Readonly<Record<string, string | undefined>> };

export const environmentVariables = {
  STREAMREC_HOST: 'host of the local stack (default 127.0.0.1)',
  STREAMREC_KAFKA_PORT: 'Kafka port of the local stack (19092)',
  STREAMREC_KAFKA_BROKERS: 'comma-separated brokers; overrides host:port',
  STREAMREC_REDIS_PORT: 'Redis port (16379)',
  STREAMREC_EVAL_LOG_LEVEL: 'log level of the in-process processors and API, to stderr (default warn)',
} as const;

export function loadEvalStack(environment: Readonly<Record<string, string | undefined>> = process.env): EvalStack {
  const env = loadStackEnv(environment);
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  const stack = parseConfig(
    evalStackSchema,
    {
      kafka: { brokers: env['STREAMREC_KAFKA_BROKERS']?.split(',').map((broker) => broker.trim()) ?? [`${host}:${env['STREAMREC_KAFKA_PORT'] ?? '19092'}`] },
      redis: { host, port: env['STREAMREC_REDIS_PORT'] === undefined ? 16_379 : Number(env['STREAMREC_REDIS_PORT']) },
      log: { level: env['STREAMREC_EVAL_LOG_LEVEL'] },
    },
    'eval',
  );
  return { ...stack, childEnvironment: { ...environment } };
}
