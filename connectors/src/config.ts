import { join } from 'node:path';
import { z } from 'zod';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';
import { kafkaConfigInput, kafkaConfigSchema, kafkaEnvironmentVariables, parseConfig, type KafkaConfig } from '@streamrec/foundation';

const schema = z.object({
  connectUrl: z.url(),
  configDir: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']),
  prettyLogs: z.boolean(),
});

export type ConnectorsConfig = z.infer<typeof schema>;

export function loadConnectorsConfig(environment: NodeJS.ProcessEnv = process.env): Readonly<ConnectorsConfig> {
  const env = loadStackEnv(environment);
  return parseConfig(
    schema,
    {
      connectUrl: env['STREAMREC_CONNECT_URL'] ?? `http://${env['STREAMREC_HOST'] ?? '127.0.0.1'}:${env['STREAMREC_CONNECT_PORT'] ?? ''}`,
      configDir: env['STREAMREC_CONNECTORS_DIR'] ?? join(repoRoot, 'connectors', 'config'),
      logLevel: env['STREAMREC_LOG_LEVEL'] ?? 'info',
      prettyLogs: (environment['NODE_ENV'] ?? 'development') !== 'production' && process.stderr.isTTY === true,
    },
    'connectors',
  );
}

const signalSchema = z.object({
  kafka: kafkaConfigSchema,
  mariadb: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65_535), user: z.string().min(1), password: z.string().min(1) }),
});

export type SignalConfig = z.infer<typeof signalSchema>;

/** What `snapshot` needs besides Connect: the shop's MariaDB account (it inserts the signal) and Kafka (it reads the signal topic as the admin role). */
export function loadSignalConfig(environment: NodeJS.ProcessEnv = process.env): Readonly<SignalConfig> {
  const env = loadStackEnv(environment);
  return parseConfig(
    signalSchema,
    {
      kafka: kafkaConfigInput(env, 'admin'),
      mariadb: {
        host: env['STREAMREC_HOST'] ?? '127.0.0.1',
        port: Number(env['STREAMREC_MARIADB_PORT'] ?? ''),
        user: env['STREAMREC_MARIADB_APP_USER'],
        password: env['STREAMREC_MARIADB_APP_PASSWORD'],
      },
    },
    'connectors snapshot',
  );
}

export const signalEnvironmentVariables = {
  STREAMREC_MARIADB_PORT: 'MariaDB of the shop (13306 locally)',
  STREAMREC_MARIADB_APP_USER: 'account that inserts the signal row (INSERT on shop.debezium_signal)',
  STREAMREC_MARIADB_APP_PASSWORD: 'its password (.stack/secrets.env locally)',
  ...kafkaEnvironmentVariables('admin'),
} as const;

/** Kafka as the admin role, for `apply` when it recovers a connector's schema history. */
export function loadHistoryKafkaConfig(environment: NodeJS.ProcessEnv = process.env): Readonly<KafkaConfig> {
  return parseConfig(kafkaConfigSchema, kafkaConfigInput(loadStackEnv(environment), 'admin'), 'connectors apply (schema history)');
}
