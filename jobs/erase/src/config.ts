import { z } from 'zod';
import {
  clickHouseConfigInput,
  clickHouseConfigSchema,
  clickHouseEnvironmentVariables,
  kafkaConfigInput,
  kafkaConfigSchema,
  kafkaEnvironmentVariables,
  parseConfig,
  redisConfigInput,
  redisConfigSchema,
  redisEnvironmentVariables,
} from '@streamrec/foundation';
import { loadStackEnv } from '@streamrec/foundation/process';

/** Where the running system is (infra/local/stack.env, .stack/secrets.env, STREAMREC_* overrides): the only module of the job that reads the environment. */
export const configSchema = z.strictObject({
  redis: redisConfigSchema,
  kafka: kafkaConfigSchema,
  clickhouse: clickHouseConfigSchema,
  usersTopic: z.string().regex(/^[a-z][a-z0-9._-]{1,200}$/, 'lower-case topic name'),
  /** The API's operations listener(s): each gets POST /admin/erasures. */
  apiOpsUrls: z.array(z.url()),
  /** An API key with the admin scope; undefined: the API step is reported as not done. */
  apiAdminKey: z.string().min(1).optional(),
  /** The key of normalize's visitor pseudonyms, which also hashes the erasure list. */
  pseudonymKey: z.string().min(32, 'STREAMREC_VISITOR_PSEUDONYM_KEY must be a secret of at least 32 characters (npm run setup writes one into .stack/secrets.env)'),
});
export type EraseConfig = z.infer<typeof configSchema>;

export const environmentVariables = {
  ...redisEnvironmentVariables('admin'),
  ...kafkaEnvironmentVariables('admin'),
  ...clickHouseEnvironmentVariables('database of the tables erased from and of the erasures audit table (streamrec)'),
  STREAMREC_USERS_TOPIC: 'compacted topic of user profiles that gets the tombstone (events.users.v1)',
  STREAMREC_API_OPS_URLS: "comma-separated operations listeners of the API instances (default http://127.0.0.1:$STREAMREC_API_OPS_PORT; '' for none)",
  STREAMREC_API_ADMIN_KEY: 'API key with the admin scope (default $STREAMREC_API_KEY_DEV, which npm run setup writes into .stack/secrets.env)',
  STREAMREC_VISITOR_PSEUDONYM_KEY: "normalize's pseudonym key (.stack/secrets.env): hashes the erasure list",
} as const;

export function loadEraseConfig(environment: Readonly<Record<string, string | undefined>> = process.env): EraseConfig {
  const env = loadStackEnv(environment);
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  const urls = env['STREAMREC_API_OPS_URLS'] ?? `http://${host}:${env['STREAMREC_API_OPS_PORT'] ?? '18081'}`;
  const adminKey = env['STREAMREC_API_ADMIN_KEY'] ?? env['STREAMREC_API_KEY_DEV'];
  return parseConfig(
    configSchema,
    {
      redis: redisConfigInput(env, 'admin'),
      kafka: kafkaConfigInput(env, 'admin'),
      clickhouse: clickHouseConfigInput(env, 'STREAMREC_ERASE_QUERY_TIMEOUT_MS'),
      usersTopic: env['STREAMREC_USERS_TOPIC'] ?? 'events.users.v1',
      apiOpsUrls: urls.split(',').map((url) => url.trim()).filter((url) => url !== ''),
      apiAdminKey: adminKey === '' ? undefined : adminKey,
      pseudonymKey: env['STREAMREC_VISITOR_PSEUDONYM_KEY'] ?? '',
    },
    'erase',
  );
}
