import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import { kafkaClientOptions, kafkaUserVariables, loadKafkaConfig, type KafkaConfig } from '@streamrec/foundation';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';

/** Integration tests need the local stack (`npm run stack:up` / `npm run setup`); these point at it. */
export const stackEnv = loadStackEnv(process.env);
export { repoRoot };

function required(key: string): string {
  const value = stackEnv[key];
  if (value === undefined || value === '') throw new Error(`${key} is not set: is the local stack set up (npm run setup)?`);
  return value;
}

/**
 * The local stack's Kafka as the tests reach it: its broker, with the admin role's SASL credentials
 * (`streamrec-admin`, from .stack/secrets.env; none on a broker without SASL). Tests act as admin: they create,
 * read and delete topics and groups of their own. Spread it into a config's `kafka` (with a `clientId`).
 */
export const kafkaAdmin: KafkaConfig = loadKafkaConfig(
  { ...stackEnv, STREAMREC_KAFKA_BROKERS: `${required('STREAMREC_HOST')}:${required('STREAMREC_KAFKA_PORT')}` },
  'admin',
  'test Kafka (admin)',
);
export const kafkaBrokers: string[] = [...kafkaAdmin.brokers];
/**
 * The environment that makes a processor the test starts (in process or as a child) log in to Kafka as the
 * admin too: its groups and topics are the test's own (`test-*`), outside the processor role's ACLs.
 */
export const kafkaAdminVariables: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(kafkaUserVariables(kafkaAdmin)).filter((entry): entry is [string, string] => entry[1] !== undefined),
);
export const connectUrl = `http://${required('STREAMREC_HOST')}:${required('STREAMREC_CONNECT_PORT')}`;

export function createKafka(clientId: string): Kafka {
  return new Kafka({ clientId, ...kafkaClientOptions(kafkaAdmin), logLevel: logLevel.NOTHING });
}

export async function connectMariaDb(database: 'shop' | 'matomo'): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: required('STREAMREC_HOST'),
    port: Number(required('STREAMREC_MARIADB_PORT')),
    user: required('STREAMREC_MARIADB_APP_USER'),
    password: required('STREAMREC_MARIADB_APP_PASSWORD'),
    database,
    // DATETIME columns hold UTC; Debezium reads them as UTC epoch milliseconds.
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
}

const execFileAsync = promisify(execFile);

/** Runs a stack script command (infra/local/stack.sh ...) and returns its output. */
export async function stackCommand(...args: string[]): Promise<string> {
  const { stdout, stderr } = await execFileAsync('bash', [join(repoRoot, 'infra', 'local', 'stack.sh'), ...args], {
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout + stderr;
}

/** The pid the stack scripts recorded for a component. */
export async function componentPid(component: string): Promise<number> {
  const text = await readFile(join(repoRoot, '.stack', 'run', `${component}.pid`), 'utf8');
  return Number(text.trim());
}

/** A short unique suffix for test-owned names. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
