import { writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { createRootLogger, runCli, type Logger } from '@streamrec/foundation/process';
import { MariaDbDemoStore } from './adapters/mariadb-demo-store.js';
import { createMariaDbPool } from './adapters/mariadb-writer.js';
import { HttpStorefrontApi } from './adapters/storefront-api-client.js';
import { runBulk } from './bulk.js';
import { parseCommandLine, type Command } from './cli-args.js';
import { loadConfig, type DemoDataConfig } from './config.js';
import type { RunSummary } from './domain/tally.js';
import type { TrafficSummary } from './domain/traffic-tally.js';
import { usersOfScale, type TrafficCommand } from './traffic-args.js';
import { runTraffic } from './traffic.js';
import { runTrickle, type Clock } from './trickle.js';

/** Logs go to stderr: stdout carries only the JSON summary, so it can be piped. */
function createStderrLogger(level: string): Logger {
  return createRootLogger({ name: 'demo-data', level, pretty: false, fd: 2 });
}

const wallClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
};

const API_TIMEOUT_MS = 5_000;

/** Runs `work` with an abort signal that SIGINT / SIGTERM trigger, so the run stops cleanly. */
async function untilStopped<T>(log: Logger, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    log.info({ signal }, `${what}: stopping`);
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function runTrafficCommand(command: TrafficCommand, config: DemoDataConfig, log: Logger, store: MariaDbDemoStore): Promise<TrafficSummary> {
  const readKey = command.apiKey ?? config.api.key;
  if (readKey === null) {
    throw new AppError(
      ErrorCode.ConfigInvalid,
      'no API key: pass --api-key KEY, or run `npm run setup` so that .stack/secrets.env holds STREAMREC_API_KEY_DEV',
    );
  }
  const baseUrl = command.apiUrl ?? config.api.url;
  const api = new HttpStorefrontApi({ baseUrl, readKey, eventsKey: command.eventsKey ?? readKey, timeoutMs: API_TIMEOUT_MS, userPrefix: command.userPrefix });
  const { lift, drop } = command;
  log.info(
    { seed: command.seed, rate: command.requestsPerSecond, durationSeconds: command.durationSeconds, requests: command.maxRequests, api: baseUrl, scenes: command.scenes, lift: Object.fromEntries(lift), drop: Object.fromEntries(drop), orders: command.writeOrders },
    'traffic: starting',
  );
  return untilStopped(log, 'traffic', (signal) =>
    runTraffic(
      store,
      api,
      wallClock,
      {
        seed: command.seed,
        requestsPerSecond: command.requestsPerSecond,
        durationMs: command.durationSeconds === null ? null : command.durationSeconds * 1000,
        maxRequests: command.maxRequests,
        scenes: command.scenes,
        limit: command.limit,
        expectedUsers: usersOfScale(command.scale),
        effects: { lift, drop },
        writeOrders: command.writeOrders,
        signal,
      },
      (event) => log.info(event, 'traffic: progress'),
    ),
  );
}

async function run(
  command: Exclude<Command, { kind: 'help' }>,
  config: DemoDataConfig,
  log: Logger,
  store: MariaDbDemoStore,
): Promise<RunSummary | TrafficSummary> {
  const started = Date.now();
  if (command.kind === 'bulk') {
    const until = command.until ?? new Date(Math.floor(Date.now() / 1000) * 1000);
    log.info({ seed: command.seed, scale: command.scale, append: command.append, until }, 'bulk: generating');
    const summary = await runBulk(store, { ...command, until }, (event) => log.info(event, `bulk: ${event.phase}`));
    log.info({ elapsedMs: Date.now() - started }, 'bulk: done');
    return summary;
  }
  if (command.kind === 'traffic') return runTrafficCommand(command, config, log, store);
  log.info({ seed: command.seed, rate: command.eventsPerSecond, durationSeconds: command.durationSeconds }, 'trickle: starting');
  const summary = await untilStopped(log, 'trickle', (signal) =>
    runTrickle(
      store,
      wallClock,
      {
        seed: command.seed,
        eventsPerSecond: command.eventsPerSecond,
        durationMs: command.durationSeconds === null ? null : command.durationSeconds * 1000,
        signal,
      },
      (event) => log.info(event, 'trickle: progress'),
    ),
  );
  log.info({ elapsedMs: Date.now() - started }, 'trickle: stopped');
  return summary;
}

async function execute(command: Exclude<Command, { kind: 'help' }>): Promise<number> {
  const config = loadConfig();
  const log = createStderrLogger(config.logLevel);
  const pool = createMariaDbPool(config.mariadb);
  try {
    const store = await MariaDbDemoStore.open(pool);
    try {
      const summary = await run(command, config, log, store);
      const json = JSON.stringify(summary);
      process.stdout.write(`${json}\n`);
      if (command.summaryFile !== null) await writeFile(command.summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
      if ('requests' in summary && summary.requests.sent > 0 && summary.requests.answered === 0) {
        log.error({ errors: summary.errors }, 'traffic: no request was answered');
        return 1;
      }
      return 0;
    } finally {
      store.close();
    }
  } finally {
    await pool.end();
  }
}

runCli({ name: 'demo-data', parse: parseCommandLine, execute });
