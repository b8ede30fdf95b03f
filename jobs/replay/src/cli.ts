/**
 * The replay / backfill CLI (`npm run replay -- --help`): build a new state version beside the live one,
 * compare, switch the active-version pointer atomically, drop. Runbook: docs/replay.md.
 * Progress and results go to stdout; exit 0 ok, 1 failed or different, 2 usage.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Redis } from 'ioredis';
import { AppError, ErrorCode, kafkaClientOptions } from '@streamrec/foundation';
import { ExitCode, runCli } from '@streamrec/foundation/process';
import { parseCommandLine, type Command } from './cli-args.js';
import { loadReplayConfig, type ReplayConfig } from './config.js';
import { runBuild } from './commands/build.js';
import { runCompare } from './commands/compare.js';
import { runDrop, runStatus, runSwitch } from './commands/versions.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function connectAdmin(config: ReplayConfig): Promise<Admin> {
  const admin = new Kafka({ clientId: 'streamrec-replay', ...kafkaClientOptions(config.kafka), logLevel: logLevel.NOTHING }).admin();
  await admin.connect().catch((cause: unknown) => {
    throw new AppError(ErrorCode.DependencyUnavailable, `Kafka at ${config.kafka.brokers.join(',')} is unreachable (is the stack up? npm run stack:status)`, { cause });
  });
  return admin;
}

async function execute(command: Exclude<Command, { kind: 'help' }>): Promise<number> {
  const config = loadReplayConfig();
  const redis = new Redis({ ...config.redis, maxRetriesPerRequest: 3, lazyConnect: true, retryStrategy: () => null });
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
        return (await runCompare(command, redis, out)).equal ? 0 : ExitCode.Failed;
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

runCli({ name: 'replay', parse: parseCommandLine, execute });
