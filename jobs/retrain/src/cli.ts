/**
 * The retrain CLI (`npm run retrain -- --help`): `run` trains, checks, gates, publishes and records one
 * model; `loop` does it periodically and serves /metrics. Progress on stderr, the run's JSON summary on
 * stdout (`run`); exit 0 when the run finished (published or refused), 1 when it failed, 2 on bad usage.
 */
import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, createRootLogger, runCli } from '@streamrec/foundation/process';
import { startMetricsServer } from '@streamrec/foundation/metrics';
import { parseCommandLine, type Command, type RunOptions, type ScoreOptions } from './cli-args.js';
import { loadRetrainConfig, type RetrainConfig } from './config.js';
import { createRetrainMetrics } from './adapters/retrain-metrics.js';
import { runLoop } from './retrain-loop.js';
import { runRetrain } from './run-retrain.js';
import type { RunSummary } from './run-summary.js';
import { offlineReportMarkdown } from './domain/offline-report.js';
import { scoreOffline } from './score-offline.js';
import { createOfflineScoreDependencies, createRetrainDependencies } from './wiring.js';

const stderrLine = (line: string): void => {
  process.stderr.write(`${new Date().toISOString()} retrain ${line}\n`);
};

async function runOnce(config: RetrainConfig, options: RunOptions): Promise<number> {
  const abort = new AbortController();
  // Ctrl-C / SIGTERM stops the trainer and records the run as failed instead of leaving it "running".
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const { deps, close } = await createRetrainDependencies(config, stderrLine);
  try {
    const summary = await runRetrain(deps, options, abort.signal);
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return summary.status === 'failed' ? ExitCode.Failed : ExitCode.Ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await close();
  }
}

async function loop(config: RetrainConfig, command: Extract<Command, { kind: 'loop' }>): Promise<number> {
  const log = createRootLogger({ name: 'retrain', level: config.log.level, pretty: false, fd: 2 });
  const stop = new AbortController();
  const abortRun = new AbortController();
  const onSignal = (signal: string): void => {
    if (!stop.signal.aborted) {
      log.info({ signal }, 'stopping after the run in progress (a second signal aborts it)');
      stop.abort();
    } else {
      log.warn({ signal }, 'aborting the run in progress');
      abortRun.abort();
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const metrics = createRetrainMetrics();
  const server: Server = await startMetricsServer({ host: config.metrics.host, port: command.metricsPort ?? config.metrics.port, registry: metrics.registry, isHealthy: () => !stop.signal.aborted });
  const address = server.address();
  log.info({ every: command.everyMs, metrics: typeof address === 'object' && address !== null ? `${address.address}:${address.port}` : String(address), model: command.options.name }, 'retrain loop started');
  const { deps, close } = await createRetrainDependencies(config, (line) => log.info(line));
  try {
    const runs = await runLoop(
      {
        runOnce: (signal) => runRetrain(deps, command.options, signal),
        now: () => Date.now(),
        sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
        onRun: (summary: RunSummary) => {
          metrics.observeRun({
            modelName: summary.model_name,
            status: summary.status,
            finishedAtMs: Date.parse(summary.finished_at),
            durationSeconds: summary.durations_s['total'] ?? 0,
            publishedVersion: summary.model_version ?? undefined,
          });
          const fields = { run_id: summary.run_id, status: summary.status, model_version: summary.model_version, reason: summary.reason, durations_s: summary.durations_s };
          if (summary.status === 'failed') log.error(fields, 'run failed; the loop goes on');
          else log.info(fields, 'run finished');
        },
        onError: (error) => log.error({ err: error }, 'run crashed; the loop goes on'),
      },
      command.everyMs,
      { stop: stop.signal, abortRun: abortRun.signal },
    );
    log.info({ runs }, 'retrain loop stopped');
    return ExitCode.Ok;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await close();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function score(config: RetrainConfig, options: ScoreOptions): Promise<number> {
  const { deps, close } = createOfflineScoreDependencies(config, options, stderrLine);
  try {
    const report = await scoreOffline(deps, options);
    const markdown = offlineReportMarkdown(report);
    process.stderr.write(`\n${markdown}\n`);
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (options.out !== undefined) {
      await writeFile(options.out, json);
      const markdownFile = `${options.out.replace(/\.json$/, '')}.md`;
      await writeFile(markdownFile, markdown);
      stderrLine(`report: ${options.out}, ${markdownFile}`);
    }
    process.stdout.write(json);
    return ExitCode.Ok;
  } finally {
    await close();
  }
}

async function execute(command: Exclude<Command, { kind: 'help' }>): Promise<number> {
  const config = loadRetrainConfig();
  switch (command.kind) {
    case 'run':
      return runOnce(config, command.options);
    case 'loop':
      return loop(config, command);
    case 'score':
      return score(config, command.options);
  }
}

runCli({
  name: 'retrain',
  parse: parseCommandLine,
  execute,
  explain: (error) =>
    error instanceof Error && /KafkaJS|ECONNREFUSED|Connection/i.test(error.name + error.message)
      ? `cannot reach Kafka or ClickHouse (is the stack up? npm run stack:status): ${error.message}`
      : undefined,
});
