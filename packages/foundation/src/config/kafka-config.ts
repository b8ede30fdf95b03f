import type { SASLOptions } from 'kafkajs';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors.js';
import { parseConfig } from './parse-config.js';

/**
 * Who a component is towards Kafka. Each role is a SCRAM-SHA-512 user of its own, `streamrec-<role>`, with
 * ACLs (infra/kafka/acls.sh, docs/OPERATIONS.md "Who may do what"):
 *
 * - `processor`: the stream processors: read their input topics, write their outputs, their own consumer groups;
 * - `api`: the API: writes exposures and events, reads the model publications;
 * - `model`: retrain and the model CLI: publish and read `models.*`;
 * - `admin`: operators' tools (topics, replay, erase, eval, dq, drill, the benches, the tests).
 */
export type KafkaRole = 'processor' | 'api' | 'model' | 'admin';

const USER_WITHOUT_PASSWORD = 'missing: a Kafka user needs its password (STREAMREC_KAFKA_PASSWORD with STREAMREC_KAFKA_USER)';
const PASSWORD_WITHOUT_USER = 'missing: a Kafka password needs its user (STREAMREC_KAFKA_USER with STREAMREC_KAFKA_PASSWORD)';

/** How a component reaches Kafka (validated at boot with the rest of its config). */
export const kafkaConfigSchema = z
  .strictObject({
    brokers: z.array(z.string().min(1)).min(1),
    /** The SCRAM user; absent for a broker without SASL (PLAINTEXT, e.g. a throwaway test cluster). */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
  })
  .refine((config) => config.username === undefined || config.password !== undefined, { path: ['password'], message: USER_WITHOUT_PASSWORD })
  .refine((config) => config.password === undefined || config.username !== undefined, { path: ['username'], message: PASSWORD_WITHOUT_USER });
export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;

type Environment = Readonly<Record<string, string | undefined>>;

/** The variable holding each role's password (.stack/secrets.env locally, a Secret or .env elsewhere). */
const passwordVariable: Readonly<Record<KafkaRole, string>> = {
  processor: 'STREAMREC_KAFKA_PROCESSOR_PASSWORD',
  api: 'STREAMREC_KAFKA_API_PASSWORD',
  model: 'STREAMREC_KAFKA_MODEL_PASSWORD',
  admin: 'STREAMREC_KAFKA_ADMIN_PASSWORD',
};

/** The SCRAM user of a role (`streamrec-<role>`). */
export function kafkaUserOf(role: KafkaRole): string {
  return `streamrec-${role}`;
}

/**
 * The Kafka part of a config, from the stack's variables. Brokers: `STREAMREC_KAFKA_BROKERS` (comma-separated),
 * else `$STREAMREC_HOST:$STREAMREC_KAFKA_PORT` (127.0.0.1:19092). The credentials are the role's
 * (`STREAMREC_KAFKA_<ROLE>_PASSWORD`, user `streamrec-<role>`) unless `STREAMREC_KAFKA_USER` names another
 * user (with `STREAMREC_KAFKA_PASSWORD`); with neither, no credentials are sent (a PLAINTEXT broker). A
 * named user without its password, or `STREAMREC_KAFKA_PASSWORD` without a user, is passed on as it is
 * for the schema to refuse. An empty variable counts as unset.
 */
export function kafkaConfigInput(env: Environment, role: KafkaRole): Record<keyof KafkaConfig, unknown> {
  const host = nonEmpty(env['STREAMREC_HOST']) ?? '127.0.0.1';
  const brokers = nonEmpty(env['STREAMREC_KAFKA_BROKERS'])?.split(',').map((broker) => broker.trim()) ?? [`${host}:${nonEmpty(env['STREAMREC_KAFKA_PORT']) ?? '19092'}`];
  const namedUser = nonEmpty(env['STREAMREC_KAFKA_USER']);
  const namedPassword = nonEmpty(env['STREAMREC_KAFKA_PASSWORD']);
  if (namedUser !== undefined || namedPassword !== undefined) return { brokers, username: namedUser, password: namedPassword };
  const rolePassword = nonEmpty(env[passwordVariable[role]]);
  return { brokers, username: rolePassword === undefined ? undefined : kafkaUserOf(role), password: rolePassword };
}

/** The validated Kafka config of a role (what `kafkaClientOptions` turns into `new Kafka({ ... })` options). */
export function loadKafkaConfig(env: Environment, role: KafkaRole, name: string): KafkaConfig {
  return parseConfig(kafkaConfigSchema, kafkaConfigInput(env, role), name);
}

/** The `--help` lines of the Kafka variables for a component acting as `role`. */
export function kafkaEnvironmentVariables(role: KafkaRole): Readonly<Record<string, string>> {
  return {
    STREAMREC_KAFKA_BROKERS: 'comma-separated brokers (default $STREAMREC_HOST:$STREAMREC_KAFKA_PORT)',
    STREAMREC_KAFKA_PORT: 'Kafka port of the local stack (19092)',
    [passwordVariable[role]]: `password of the Kafka SCRAM user ${kafkaUserOf(role)} (from .stack/secrets.env locally; unset: no SASL)`,
    STREAMREC_KAFKA_USER: 'another Kafka SCRAM user to connect as (with STREAMREC_KAFKA_PASSWORD)',
  };
}

/**
 * The variables that make a child process (a stream processor started by a tool on the tool's own topics and
 * groups: eval, the streams benchmark) connect to Kafka as `config`'s user rather than as its own role: the
 * named-user pair, spread over the child's environment. Without credentials both are undefined (unset), and
 * the child falls back to its own role's password, if any.
 */
export function kafkaUserVariables(config: Pick<KafkaConfig, 'username' | 'password'>): { STREAMREC_KAFKA_USER: string | undefined; STREAMREC_KAFKA_PASSWORD: string | undefined } {
  return { STREAMREC_KAFKA_USER: config.username, STREAMREC_KAFKA_PASSWORD: config.password };
}

/**
 * The connection options of a kafkajs client: `new Kafka({ clientId, ...kafkaClientOptions(config), logLevel, … })`.
 * With credentials, SASL/SCRAM-SHA-512; without, none (a PLAINTEXT broker).
 */
export function kafkaClientOptions(config: Pick<KafkaConfig, 'username' | 'password'> & { readonly brokers: readonly string[] }): { brokers: string[]; sasl?: SASLOptions } {
  const brokers = [...config.brokers];
  const { username, password } = config;
  if (username === undefined && password === undefined) return { brokers };
  // A config that did not go through the schema (a test's, a hand-built one) may still pair them wrongly.
  if (username === undefined || password === undefined) throw new AppError(ErrorCode.ConfigInvalid, username === undefined ? `Kafka: ${PASSWORD_WITHOUT_USER}` : `Kafka: ${USER_WITHOUT_PASSWORD}`);
  return { brokers, sasl: { mechanism: 'scram-sha-512', username, password } };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
