import { z } from 'zod';
import { parseConfig } from './parse-config.js';

/**
 * Who a component is towards Redis. Each role is an ACL user of its own (infra/redis/render-acl.sh,
 * docs/OPERATIONS.md "Who may do what"):
 *
 * - `processor`: reads and writes the state keys (`sr:*`), runs the apply scripts; no admin or dangerous
 *   command (FLUSHALL, KEYS, CONFIG, …);
 * - `api`: reads the state keys, writes only its shared rate-limit counters (`sr:ratelimit:*`);
 * - `admin`: everything (replay's switch, erase, the benches, operators);
 * - `monitor`: the exporter's INFO, SLOWLOG and LATENCY reads, no key.
 */
export type RedisRole = 'processor' | 'api' | 'admin' | 'monitor';

/** How a component reaches Redis (validated at boot with the rest of its config). */
export const redisConfigSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  /** The ACL user; absent for a Redis without ACL users (the `default` user). */
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
});
export type RedisConfig = z.infer<typeof redisConfigSchema>;

type Environment = Readonly<Record<string, string | undefined>>;

/** The variable holding each role's password (.stack/secrets.env locally, a Secret or .env elsewhere). */
const passwordVariable: Readonly<Record<RedisRole, string>> = {
  processor: 'STREAMREC_REDIS_PROCESSOR_PASSWORD',
  api: 'STREAMREC_REDIS_API_PASSWORD',
  admin: 'STREAMREC_REDIS_ADMIN_PASSWORD',
  monitor: 'STREAMREC_REDIS_MONITOR_PASSWORD',
};

/** The ACL user of a role (`streamrec-<role>`). */
export function redisUserOf(role: RedisRole): string {
  return `streamrec-${role}`;
}

/**
 * The Redis part of a config, from the stack's variables. The credentials are the role's
 * (`STREAMREC_REDIS_<ROLE>_PASSWORD`, user `streamrec-<role>`) unless `STREAMREC_REDIS_USER` names another
 * user (with `STREAMREC_REDIS_PASSWORD`); with neither, no credentials are sent.
 */
export function redisConfigInput(env: Environment, role: RedisRole): Record<keyof RedisConfig, unknown> {
  const host = env['STREAMREC_REDIS_HOST'] ?? env['STREAMREC_HOST'] ?? '127.0.0.1';
  const port = env['STREAMREC_REDIS_PORT'] === undefined || env['STREAMREC_REDIS_PORT'] === '' ? 16_379 : Number(env['STREAMREC_REDIS_PORT']);
  const namedUser = nonEmpty(env['STREAMREC_REDIS_USER']);
  if (namedUser !== undefined) return { host, port, username: namedUser, password: nonEmpty(env['STREAMREC_REDIS_PASSWORD']) };
  const rolePassword = nonEmpty(env[passwordVariable[role]]);
  return { host, port, username: rolePassword === undefined ? undefined : redisUserOf(role), password: rolePassword };
}

/** The validated Redis config of a role (what every client spreads into `new Redis({ ... })`). */
export function loadRedisConfig(env: Environment, role: RedisRole, name: string): RedisConfig {
  return parseConfig(redisConfigSchema, redisConfigInput(env, role), name);
}

/** The `--help` lines of the Redis variables for a component acting as `role`. */
export function redisEnvironmentVariables(role: RedisRole): Readonly<Record<string, string>> {
  return {
    STREAMREC_REDIS_PORT: 'Redis port (16379); STREAMREC_REDIS_HOST overrides STREAMREC_HOST',
    [passwordVariable[role]]: `password of the Redis ACL user ${redisUserOf(role)} (from .stack/secrets.env locally)`,
    STREAMREC_REDIS_USER: 'another Redis ACL user to connect as (with STREAMREC_REDIS_PASSWORD)',
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
