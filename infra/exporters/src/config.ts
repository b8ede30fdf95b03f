import { join } from 'node:path';
import { z } from 'zod';
import { parseConfig } from '@streamrec/foundation';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';

/**
 * Settings of the two processes (the environment and the stack's env files): the only module of the
 * package that reads process.env. Defaults are the local stack's (infra/local/stack.env, .stack/secrets.env).
 */
export const DEFAULT_ALERT_WEBHOOK_PORT = 19_095;
export const DEFAULT_STACK_EXPORTER_PORT = 19_108;

const listenSchema = z.strictObject({ host: z.string().min(1), port: z.number().int().min(0).max(65_535) });
const logSchema = z.strictObject({ level: z.string().default('info'), pretty: z.boolean().default(false) });

export const alertWebhookConfigSchema = z.strictObject({
  listen: listenSchema,
  /** Where every received alert is appended as one JSON line. */
  logFile: z.string().min(1),
  /** Larger notifications are refused (413); Alertmanager's are a few KiB per alert. */
  maxBodyBytes: z.number().int().positive(),
  log: logSchema,
});
export type AlertWebhookConfig = z.infer<typeof alertWebhookConfigSchema>;

export const stackExporterConfigSchema = z.strictObject({
  listen: listenSchema,
  clickhouse: z.strictObject({
    url: z.url(),
    username: z.string().min(1),
    password: z.string(),
    /** Interpolated into SQL as a string literal: plain names only. */
    database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a plain identifier'),
  }),
  mariadb: z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65_535), user: z.string().min(1), password: z.string() }),
  connect: z.strictObject({ url: z.url() }),
  /** Where the last offsets read from Connect are kept, so they survive a restart of the exporter while Connect is down. */
  stateDir: z.string().min(1),
  /** Each source of a scrape answers within this, or counts as down for that scrape (below Prometheus' 10 s scrape timeout). */
  scrapeTimeoutMs: z.number().int().positive(),
  log: logSchema,
});
export type StackExporterConfig = z.infer<typeof stackExporterConfigSchema>;

export const alertWebhookEnvironment = {
  STREAMREC_ALERT_WEBHOOK_HOST: 'listen address (default $STREAMREC_HOST, 127.0.0.1)',
  STREAMREC_ALERT_WEBHOOK_PORT: `listen port (default ${DEFAULT_ALERT_WEBHOOK_PORT})`,
  STREAMREC_ALERT_WEBHOOK_LOG: 'the NDJSON file alerts are appended to (default .stack/logs/alerts.ndjson)',
  STREAMREC_LOG_LEVEL: 'pino level (default info)',
  STREAMREC_LOG_PRETTY: 'true for pretty logs on a terminal',
} as const;

export const stackExporterEnvironment = {
  STREAMREC_STACK_EXPORTER_HOST: 'listen address (default $STREAMREC_HOST, 127.0.0.1)',
  STREAMREC_STACK_EXPORTER_PORT: `listen port (default ${DEFAULT_STACK_EXPORTER_PORT})`,
  STREAMREC_CLICKHOUSE_URL: 'ClickHouse HTTP URL (default http://$STREAMREC_HOST:$STREAMREC_CLICKHOUSE_HTTP_PORT)',
  STREAMREC_CLICKHOUSE_USER: 'ClickHouse user (streamrec); STREAMREC_CLICKHOUSE_PASSWORD its password',
  STREAMREC_CLICKHOUSE_DATABASE: 'the project\'s database whose tables are counted (streamrec)',
  STREAMREC_MARIADB_MONITOR_USER: 'MariaDB user with BINLOG MONITOR (monitor); STREAMREC_MARIADB_MONITOR_PASSWORD its password',
  STREAMREC_CONNECT_URL: 'Kafka Connect REST URL (default http://$STREAMREC_HOST:$STREAMREC_CONNECT_PORT)',
  STREAMREC_STACK_EXPORTER_STATE_DIR: 'where the last Connect offsets read are kept (default .stack/data/stack-exporter)',
  STREAMREC_STACK_EXPORTER_TIMEOUT_MS: 'longest a source may take per scrape (default 8000)',
  STREAMREC_LOG_LEVEL: 'pino level (default info)',
  STREAMREC_LOG_PRETTY: 'true for pretty logs on a terminal',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const number = (env: Env, key: string, fallback: number): number => (env[key] === undefined || env[key] === '' ? fallback : Number(env[key]));
const logInput = (env: Env) => ({ level: env['STREAMREC_LOG_LEVEL'], pretty: env['STREAMREC_LOG_PRETTY'] === 'true' });

export function loadAlertWebhookConfig(environment: Env = process.env): AlertWebhookConfig {
  const env = loadStackEnv(environment);
  return parseConfig(
    alertWebhookConfigSchema,
    {
      listen: { host: env['STREAMREC_ALERT_WEBHOOK_HOST'] ?? env['STREAMREC_HOST'] ?? '127.0.0.1', port: number(env, 'STREAMREC_ALERT_WEBHOOK_PORT', DEFAULT_ALERT_WEBHOOK_PORT) },
      logFile: env['STREAMREC_ALERT_WEBHOOK_LOG'] ?? join(repoRoot, '.stack', 'logs', 'alerts.ndjson'),
      maxBodyBytes: 4 * 1024 * 1024,
      log: logInput(env),
    },
    'alert-webhook',
  );
}

export function loadStackExporterConfig(environment: Env = process.env): StackExporterConfig {
  const env = loadStackEnv(environment);
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  return parseConfig(
    stackExporterConfigSchema,
    {
      listen: { host: env['STREAMREC_STACK_EXPORTER_HOST'] ?? host, port: number(env, 'STREAMREC_STACK_EXPORTER_PORT', DEFAULT_STACK_EXPORTER_PORT) },
      clickhouse: {
        url: env['STREAMREC_CLICKHOUSE_URL'] ?? `http://${host}:${env['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`,
        username: env['STREAMREC_CLICKHOUSE_USER'] ?? 'streamrec',
        password: env['STREAMREC_CLICKHOUSE_PASSWORD'] ?? '',
        database: env['STREAMREC_CLICKHOUSE_DATABASE'] ?? 'streamrec',
      },
      mariadb: {
        host: env['STREAMREC_MARIADB_HOST'] ?? host,
        port: number(env, 'STREAMREC_MARIADB_PORT', 13_306),
        user: env['STREAMREC_MARIADB_MONITOR_USER'] ?? 'monitor',
        password: env['STREAMREC_MARIADB_MONITOR_PASSWORD'] ?? '',
      },
      connect: { url: env['STREAMREC_CONNECT_URL'] ?? `http://${host}:${env['STREAMREC_CONNECT_PORT'] ?? '18083'}` },
      stateDir: env['STREAMREC_STACK_EXPORTER_STATE_DIR'] ?? join(repoRoot, '.stack', 'data', 'stack-exporter'),
      scrapeTimeoutMs: number(env, 'STREAMREC_STACK_EXPORTER_TIMEOUT_MS', 8_000),
      log: logInput(env),
    },
    'stack-exporter',
  );
}
