import { AppError, ErrorCode } from '@streamrec/foundation';
import type { DqRunsStore } from './adapters/dq-runs-store.js';
import type { TopicReader } from './adapters/kafka-topics.js';
import { writeReportFiles } from '@streamrec/foundation/process';
import { buildReport, runIdAt } from './domain/build-report.js';
import { dqRunRow } from './domain/dq-run-row.js';
import type { TopicReadResult } from './domain/measurements.js';
import { prometheusText } from './domain/prometheus-text.js';
import type { DqReport } from './domain/report.js';
import { reportHtml } from './domain/report-html.js';
import { measureWarehouse, type SqlReader } from './domain/warehouse.js';
import type { DataWindow } from './domain/window.js';
import type { DqSettings } from './settings.js';

export interface DqDependencies {
  readonly reader: SqlReader;
  readonly topics: TopicReader;
  readonly runs: DqRunsStore;
  readonly now: () => number;
  readonly randomSuffix: () => string;
  readonly progress: (line: string) => void;
}

export interface DqRunInput {
  readonly settings: DqSettings;
  readonly settingsPath: string;
  readonly database: string;
  readonly rowLimit: number;
  readonly sinceMs: number | undefined;
  readonly untilMs: number | undefined;
  readonly outDir: string;
  readonly record: boolean;
}

export interface DqRunOutput {
  readonly report: DqReport;
  readonly files: readonly string[];
  readonly metrics: string;
}

/** The window of a run: --since/--until, else the config's default hours up to now; never longer than max_days. */
export function runWindow(settings: DqSettings, nowMs: number, sinceMs: number | undefined, untilMs: number | undefined): DataWindow {
  const toMs = untilMs ?? nowMs;
  const fromMs = sinceMs ?? toMs - settings.window.default_hours * 3_600_000;
  if (toMs <= fromMs) throw new AppError(ErrorCode.InvalidArgument, `the window must end after it starts (${new Date(fromMs).toISOString()} – ${new Date(toMs).toISOString()})`);
  if (toMs - fromMs > settings.window.max_days * 86_400_000) throw new AppError(ErrorCode.InvalidArgument, `the window is longer than window.max_days (${settings.window.max_days} days) of the config`);
  return { fromMs, toMs };
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** One run: measure, judge, write report.json, report.html and metrics.prom, record the dq_runs row. */
export async function runDq(input: DqRunInput, deps: DqDependencies): Promise<DqRunOutput> {
  const { settings } = input;
  const startedAtMs = deps.now();
  const window = runWindow(settings, startedAtMs, input.sinceMs, input.untilMs);
  const lateAfterMs = settings.timeliness.late_after_seconds * 1_000;
  const futureToleranceMs = settings.timeliness.future_tolerance_seconds * 1_000;
  const measured = await measureWarehouse(deps.reader, {
    database: input.database,
    window,
    catalogue: settings.catalogue.scope,
    nowMs: startedAtMs,
    lateAfterMs,
    futureToleranceMs,
    rowLimit: input.rowLimit,
    progress: deps.progress,
  });

  deps.progress(`dead letters (${settings.kafka.dead_letter_prefix}*) and CDC lag (${settings.kafka.cdc_prefix}*)`);
  let deadLetters: TopicReadResult;
  let cdc: TopicReadResult;
  try {
    const reads = await deps.topics.read(
      [
        { prefix: settings.kafka.dead_letter_prefix, maxPerPartition: settings.kafka.max_records_per_partition },
        { prefix: settings.kafka.cdc_prefix, maxPerPartition: settings.kafka.max_records_per_partition },
      ],
      window,
      settings.kafka.read_timeout_seconds * 1_000,
    );
    deadLetters = reads.get(settings.kafka.dead_letter_prefix) ?? { error: 'not read' };
    cdc = reads.get(settings.kafka.cdc_prefix) ?? { error: 'not read' };
  } catch (error) {
    deps.progress(`Kafka could not be read: ${describeError(error)}`);
    deadLetters = { error: describeError(error) };
    cdc = { error: describeError(error) };
  }

  const report = buildReport(
    { runId: runIdAt(startedAtMs, deps.randomSuffix()), suite: settings.suite, startedAtMs, finishedAtMs: deps.now(), catalogueScope: settings.catalogue.scope, configFile: input.settingsPath },
    measured,
    deadLetters,
    cdc,
    { window, lateAfterMs, futureToleranceMs, deadLetterPrefix: settings.kafka.dead_letter_prefix, policy: { thresholds: settings.checks, unmeasured: settings.unmeasured_verdict } },
  );
  const metrics = prometheusText(report);
  deps.progress(`writing ${input.outDir}`);
  const files = await writeReportFiles(input.outDir, { json: `${JSON.stringify(report, null, 2)}\n`, html: reportHtml(report), metrics });
  if (input.record) {
    deps.progress('recording the run in dq_runs');
    await deps.runs.write(dqRunRow(report));
  }
  return { report, files, metrics };
}
