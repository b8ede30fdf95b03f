import { z } from 'zod';

/** How a job reaches ClickHouse over HTTP (validated at boot with the rest of its config). */
export const clickHouseConfigSchema = z.strictObject({
  url: z.url(),
  username: z.string().min(1),
  password: z.string(),
  /** Interpolated into SQL as an identifier: plain names only. */
  database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a plain identifier'),
  requestTimeoutMs: z.number().int().positive(),
});
export type ClickHouseConfig = z.infer<typeof clickHouseConfigSchema>;

/** Where a loop serves /metrics. */
export const metricsListenSchema = z.strictObject({ host: z.string().min(1), port: z.number().int().min(0).max(65_535) });

type Environment = Readonly<Record<string, string | undefined>>;

/** The `--help` lines of the ClickHouse variables; `databaseUse` says what the job reads (or writes) there. */
export function clickHouseEnvironmentVariables(databaseUse: string) {
  return {
    STREAMREC_CLICKHOUSE_URL: 'ClickHouse HTTP URL (default http://127.0.0.1:$STREAMREC_CLICKHOUSE_HTTP_PORT)',
    STREAMREC_CLICKHOUSE_USER: 'ClickHouse user (streamrec); STREAMREC_CLICKHOUSE_PASSWORD its password',
    STREAMREC_CLICKHOUSE_DATABASE: databaseUse,
  } as const;
}

/** A numeric variable, or `fallback` when unset or empty (a non-number fails the schema, not here). */
export function envNumber(env: Environment, key: string, fallback: number): number {
  const value = env[key];
  return value === undefined || value === '' ? fallback : Number(value);
}

/** The ClickHouse part of a config, from the stack's variables; `timeoutVariable` is the job's own (default 300000 ms). */
export function clickHouseConfigInput(env: Environment, timeoutVariable: string): Record<keyof ClickHouseConfig, unknown> {
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  return {
    url: env['STREAMREC_CLICKHOUSE_URL'] ?? `http://${host}:${env['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`,
    username: env['STREAMREC_CLICKHOUSE_USER'] ?? 'streamrec',
    password: env['STREAMREC_CLICKHOUSE_PASSWORD'] ?? '',
    database: env['STREAMREC_CLICKHOUSE_DATABASE'] ?? 'streamrec',
    requestTimeoutMs: envNumber(env, timeoutVariable, 300_000),
  };
}

/** `{prefix}_HOST` (default 127.0.0.1) and `{prefix}_PORT` (default `defaultPort`). */
export function metricsListenInput(env: Environment, prefix: string, defaultPort: number): { host: string; port: number } {
  return { host: env[`${prefix}_HOST`] ?? '127.0.0.1', port: envNumber(env, `${prefix}_PORT`, defaultPort) };
}
