import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';

/** Integration tests need the local stack (`npm run stack:up` / `npm run setup`); these point at it. */
export const stackEnv = loadStackEnv(process.env);
export { repoRoot };

function required(key: string): string {
  const value = stackEnv[key];
  if (value === undefined || value === '') throw new Error(`${key} is not set: is the local stack set up (npm run setup)?`);
  return value;
}

export const kafkaBrokers = [`${required('STREAMREC_HOST')}:${required('STREAMREC_KAFKA_PORT')}`];
export const connectUrl = `http://${required('STREAMREC_HOST')}:${required('STREAMREC_CONNECT_PORT')}`;

export function createKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
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
