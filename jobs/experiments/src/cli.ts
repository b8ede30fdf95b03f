/**
 * The experiment readout CLI (`npm run experiments -- --help`): per experiment and variant from
 * ClickHouse, with intervals, lifts, the sample-ratio check and degraded shares; writes report.json,
 * report.html and metrics.prom; `loop` repeats it and serves /metrics. Progress on stderr, the table on
 * stdout; exit 0 every readout valid, 1 one is invalid (or the run failed), 2 usage.
 */
import { formatDuration } from '@streamrec/foundation';
import { ExitCode, createRootLogger, runCli } from '@streamrec/foundation/process';
import { parseCommandLine, type ExperimentsCommand, type ReportOptions } from './cli-args.js';
import { loadExperimentsStack, type ExperimentsStack } from './config.js';
import { DEFAULT_POLICY } from './domain/policy.js';
import { summaryLines } from './domain/summary-table.js';
import { resolveWindow } from './domain/window.js';
import { runLoop } from './loop.js';
import { runReadout, type ReadoutRequest } from './run-readout.js';
import { createReadoutDependencies } from './wiring.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const requestAt = (options: ReportOptions, stack: ExperimentsStack, nowMs: number): ReadoutRequest => ({
  experiment: options.experiment,
  control: options.control,
  window: resolveWindow(options.since, options.untilMs, nowMs),
  configFile: options.configFile ?? stack.experimentsFile,
  outDir: options.outDir,
  database: stack.clickhouse.database,
  rowLimit: stack.rowLimit,
  policy: DEFAULT_POLICY,
});

async function execute(command: Exclude<ExperimentsCommand, { kind: 'help' }>): Promise<number> {
  const stack = loadExperimentsStack();
  const started = performance.now();
  const progress = (line: string): void => {
    process.stderr.write(`[experiments +${formatDuration((performance.now() - started) / 1_000)}] ${line}\n`);
  };
  const { deps, close } = createReadoutDependencies(stack, progress);
  try {
    if (command.kind === 'loop') {
      const log = createRootLogger({ name: 'experiments', level: 'info', pretty: false, fd: 2 });
      return await runLoop(command, { stack, deps, log, out, requestAt: (nowMs) => requestAt(command, stack, nowMs) });
    }
    const { report, files } = await runReadout(requestAt(command, stack, deps.now()), deps);
    for (const line of summaryLines(report, files)) out(line);
    return report.experiments.some((readout) => readout.status === 'invalid') ? ExitCode.Failed : ExitCode.Ok;
  } finally {
    await close();
  }
}

runCli({ name: 'experiments', parse: parseCommandLine, execute });
