import { writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { createRootLogger, runCli, type Logger } from '@streamrec/foundation/process';
import { MariaDbDemoStore } from './adapters/mariadb-demo-store.js';
import { createMariaDbPool } from './adapters/mariadb-writer.js';
import { runBulk } from './bulk.js';
import { parseCommandLine, type Command } from './cli-args.js';
import { loadConfig } from './config.js';
import type { RunSummary } from './domain/tally.js';
import { runTrickle, type Clock } from './trickle.js';

/** Logs go to stderr: stdout carries only the JSON summary, so it can be piped. */
function createStderrLogger(level: string): Logger {
  return createRootLogger({ name: 'demo-data', level, pretty: false, fd: 2 });
}

const wallClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
};

async function run(command: Exclude<Command, { kind: 'help' }>, log: Logger, store: MariaDbDemoStore): Promise<RunSummary> {
  const started = Date.now();
  if (command.kind === 'bulk') {
    const until = command.until ?? new Date(Math.floor(Date.now() / 1000) * 1000);
    log.info({ seed: command.seed, scale: command.scale, append: command.append, until }, 'bulk: generating');
    const summary = await runBulk(store, { ...command, until }, (event) => log.info(event, `bulk: ${event.phase}`));
    log.info({ elapsedMs: Date.now() - started }, 'bulk: done');
    return summary;
  }
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'trickle: stopping after the current transaction');
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    log.info({ seed: command.seed, rate: command.eventsPerSecond, durationSeconds: command.durationSeconds }, 'trickle: starting');
    const summary = await runTrickle(
      store,
      wallClock,
      {
        seed: command.seed,
        eventsPerSecond: command.eventsPerSecond,
        durationMs: command.durationSeconds === null ? null : command.durationSeconds * 1000,
        signal: controller.signal,
      },
      (event) => log.info(event, 'trickle: progress'),
    );
    log.info({ elapsedMs: Date.now() - started }, 'trickle: stopped');
    return summary;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function execute(command: Exclude<Command, { kind: 'help' }>): Promise<number> {
  const config = loadConfig();
  const log = createStderrLogger(config.logLevel);
  const pool = createMariaDbPool(config.mariadb);
  try {
    const store = await MariaDbDemoStore.open(pool);
    try {
      const summary = await run(command, log, store);
      const json = JSON.stringify(summary);
      process.stdout.write(`${json}\n`);
      if (command.summaryFile !== null) await writeFile(command.summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    } finally {
      store.close();
    }
  } finally {
    await pool.end();
  }
}

runCli({ name: 'demo-data', parse: parseCommandLine, execute });
