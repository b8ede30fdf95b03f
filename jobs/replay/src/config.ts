import { join } from 'node:path';
import { z } from 'zod';
import { activeVersionKey, loadKafkaConfig, loadRedisConfig, parseConfig, type KafkaConfig, type RedisConfig } from '@streamrec/foundation';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';

const schema = z.object({
  STREAMREC_REDIS_PORT: z.coerce.number().int().min(1).max(65_535).default(16_379),
  /** The pointer readers follow; another key only isolates tests on a shared Redis (readers use sr:active-version). */
  STREAMREC_REPLAY_ACTIVE_VERSION_KEY: z
    .string()
    .regex(/^sr:[a-z][a-z0-9:._-]*$/, 'must be a key sr:<name> outside the versioned keys')
    .refine((key) => !/^sr:v\d/.test(key), 'must not look like a state version key')
    .default(activeVersionKey),
});

/** The replay CLI's configuration. The only module of the job that reads process.env. */
export interface ReplayConfig {
  /** Brokers and the admin role's SASL credentials (`streamrec-admin`); the processor children use their own role's. */
  readonly kafka: KafkaConfig;
  readonly redis: RedisConfig;
  readonly activeVersionKey: string;
  readonly defaultLogDir: string;
  /** The environment the processor child processes inherit (stack settings, PATH, …). */
  readonly childEnvironment: Readonly<Record<string, string | undefined>>;
}

export function loadReplayConfig(environment: Readonly<Record<string, string | undefined>> = process.env): ReplayConfig {
  const stackEnv = loadStackEnv(environment);
  const env = parseConfig(schema, stackEnv, 'replay');
  return Object.freeze({
    kafka: loadKafkaConfig(stackEnv, 'admin', 'replay'),
    redis: loadRedisConfig(stackEnv, 'admin', 'replay'),
    activeVersionKey: env.STREAMREC_REPLAY_ACTIVE_VERSION_KEY,
    defaultLogDir: join(repoRoot, '.stack', 'logs'),
    childEnvironment: { ...environment },
  });
}
