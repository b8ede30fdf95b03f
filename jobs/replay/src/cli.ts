/**
 * The replay / backfill CLI (`npm run replay -- --help`): build a new state version beside the live one,
 * compare, switch the active-version pointer atomically, drop. Runbook: docs/replay.md.
 * Progress and results go to stdout; exit 0 ok, 1 failed or different, 2 usage.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Redis } from 'ioredis';
import { AppError, ErrorCode, isAppError } from '@streamrec/foundation';
import { parseCommandLine, type Command } from './cli-args.js';
import { loadReplayConfig, type ReplayConfig } from './config.js';
import { runBuild } from './commands/build.js';
import { runCompare } from './commands/compare.js';
import { runDrop, runStatus, runSwitch } from './commands/versions.js';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function connectAdmin(config: ReplayConfig): Promise<Admin> {
  const admin = new Kafka({ clientId: 'streamrec-replay', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect().catch((cause: unknown) => {
    throw new AppError(ErrorCode.DependencyUnavailable, `Kafka at ${config.kafka.brokers.join(',')} is unreachable (is the stack up? npm run stack:status)`, { cause });
  });
  return admin;
}

async function execute(command: Exclude<Command, { kind: 'help' }>): Promise<number> {
  const config = loadReplayConfig();
  const redis = new Redis({ host: config.redis.host, port: config.redis.port, maxRetriesPerRequest: 3, lazyConnect: true, retryStrategy: () => null });
  // Connection failures surface as rejected commands below; without a listener ioredis also prints them.
  redis.on('error', () => undefined);
  await redis.connect().catch((cause: unknown) => {
    throw new AppError(ErrorCode.DependencyUnavailable, `Redis at ${config.redis.host}:${config.redis.port} is unreachable (is the stack up? npm run stack:status)`, { cause });
  });
  try {
    switch (command.kind) {
      case 'status':
        await runStatus(redis, config.activeVersionKey, out);
        return 0;
      case 'switch':
        await runSwitch(command, redis, config.activeVersionKey, out);
        return 0;
      case 'drop': {
        const admin = await connectAdmin(config);
        try {
          await runDrop(command.version, redis, admin, config.activeVersionKey, out);
        } finally {
          await admin.disconnect();
        }
        return 0;
      }
      case 'compare':
        return (await runCompare(command, redis, out)).equal ? 0 : EXIT_FAILED;
      case 'build': {
        const admin = await connectAdmin(config);
        const stop = new AbortController();
        // Ctrl-C stops the child processes (runBuild's finally) before exiting.
        const onSignal = (): void => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          await runBuild(command, { redis, admin, config, out, now: Date.now, signal: stop.signal });
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await admin.disconnect();
        }
        return 0;
      }
    }
  } finally {
    redis.disconnect();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (isAppError(error, ErrorCode.InvalidArgument)) {
      process.stderr.write(`replay: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (command.kind === 'help') {
    out(command.text);
    return 0;
  }
  try {
    return await execute(command);
  } catch (error) {
    if (isAppError(error)) {
      process.stderr.write(`replay: ${error.code}: ${error.message}\n`);
      return error.code === ErrorCode.InvalidArgument ? EXIT_USAGE : EXIT_FAILED;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`replay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT_FAILED);
  },
);
