/**
 * The data-quality CLI (`npm run dq -- --help`): checks ClickHouse and the DLQ/CDC topics, writes
 * report.json, report.html and metrics.prom, records a dq_runs row; `loop` repeats it and serves
 * /metrics. Progress on stderr, the summary on stdout; exit 0 no check failed, 1 a check (or the run)
 * failed, 2 usage.
 */
import { formatDuration } from '@streamrec/foundation';
import { ExitCode, createRootLogger, runCli, stopOnSignals } from '@streamrec/foundation/process';
import { serveMetrics } from './adapters/metrics-http.js';
import { parseCommandLine, type DqCommand } from './cli-args.js';
import { loadDqStack, loadSettings } from './config.js';
import { summaryLines } from './domain/summary.js';
import { runLoop } from './loop.js';
import { runDq } from './run-dq.js';
import { createDqDependencies } from './wiring.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function execute(command: Exclude<DqCommand, { kind: 'help' }>): Promise<number> {
  const stack = loadDqStack();
  const started = performance.now();
  const progress = (line: string): void => {
    process.stderr.write(`[dq +${formatDuration((performance.now() - started) / 1_000)}] ${line}\n`);
  };
  const log = createRootLogger({ name: 'dq', level: 'info', pretty: false, fd: 2 });
  const { deps, close } = createDqDependencies(stack, progress);
  try {
    if (command.kind === 'loop') return await runLoop(command, { stack, deps, log, out });
    const { settings, path } = await loadSettings(command.configFile ?? stack.settingsFile);
    const { report, files, metrics } = await runDq(
      { settings, settingsPath: path, database: stack.clickhouse.database, rowLimit: stack.rowLimit, sinceMs: command.sinceMs, untilMs: command.untilMs, outDir: command.outDir, record: command.record },
      deps,
    );
    for (const line of summaryLines(report, files)) out(line);
    const code = report.status === 'failed' ? ExitCode.Failed : ExitCode.Ok;
    if (command.port === undefined) return code;
    const endpoint = await serveMetrics(stack.metrics.host, command.port, metrics);
    progress(`serving http://${stack.metrics.host}:${endpoint.port}/metrics until SIGTERM / Ctrl-C`);
    return await new Promise<number>((resolve) => {
      stopOnSignals(() => endpoint.close(), log, () => resolve(code));
    });
  } finally {
    await close();
  }
}

runCli({ name: 'dq', parse: parseCommandLine, execute });
