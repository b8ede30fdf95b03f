import { repeatUntilSignal, type Logger } from '@streamrec/foundation/process';
import { serveMetrics } from './adapters/metrics-http.js';
import { keepHistoryCopy } from './adapters/history-copies.js';
import type { LoopOptions } from './cli-args.js';
import { loadSettings, type DqStack } from './config.js';
import { attemptText } from './domain/prometheus-text.js';
import { summaryLines } from './domain/summary.js';
import { runDq, type DqDependencies } from './run-dq.js';

export interface LoopContext {
  readonly stack: DqStack;
  readonly deps: DqDependencies;
  readonly log: Logger;
  readonly out: (line: string) => void;
}

/**
 * `npm run dq -- loop`: serves /metrics, runs now and then every `everyMs` (from the start of one run to the
 * start of the next; a run that takes longer delays the next), re-reading the settings each time, until
 * SIGTERM / SIGINT: then it lets a run in progress finish, closes the endpoint and resolves 0.
 */
export async function runLoop(options: LoopOptions, context: LoopContext): Promise<number> {
  const { stack, deps, log } = context;
  const endpoint = await serveMetrics(stack.metrics.host, options.port ?? stack.metrics.port);
  log.info({ metrics: `${stack.metrics.host}:${endpoint.port}`, everyMs: options.everyMs, outDir: options.outDir }, 'data-quality loop started');
  let lastGood = '';

  const iterate = async (): Promise<void> => {
    const attemptedAt = deps.now();
    let suite = 'unknown';
    try {
      const { settings, path } = await loadSettings(options.configFile ?? stack.settingsFile);
      suite = settings.suite;
      const { report, files, metrics } = await runDq(
        { settings, settingsPath: path, database: stack.clickhouse.database, rowLimit: stack.rowLimit, sinceMs: undefined, untilMs: undefined, outDir: options.outDir, record: options.record },
        deps,
      );
      lastGood = metrics;
      endpoint.update(lastGood + attemptText(suite, attemptedAt, true));
      const copy = await keepHistoryCopy(options.outDir, options.historyDir, report.runId, options.keep);
      for (const line of summaryLines(report, [...files, copy])) context.out(line);
    } catch (error) {
      log.error({ err: error }, 'data-quality run failed; /metrics keeps the previous run');
      endpoint.update(lastGood + attemptText(suite, attemptedAt, false));
    }
  };

  return repeatUntilSignal({ everyMs: options.everyMs, now: () => deps.now(), run: iterate, close: () => endpoint.close(), stoppedMessage: 'data-quality loop stopped' }, log);
}
