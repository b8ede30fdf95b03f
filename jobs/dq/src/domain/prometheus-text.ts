import type { DqReport } from './report.js';
import { verdictLevel } from './verdict.js';

/** A label value in the text exposition format: backslash, double quote and line feed escaped. */
export function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value: finite numbers as they are, NaN and ±Inf spelled as Prometheus reads them. */
export function sampleValue(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number | null }[];
}

function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${family.name} gauge`];
  for (const sample of family.samples) {
    const labels = Object.entries(sample.labels).map(([key, value]) => `${key}="${labelValue(value)}"`);
    lines.push(`${family.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${sampleValue(sample.value)}`);
  }
  return lines.join('\n');
}

/**
 * The run's figures in the Prometheus text format (version 0.0.4): what metrics.prom holds and
 * /metrics serves. Every series carries the suite; per-check series the check name.
 */
export function prometheusText(report: DqReport): string {
  const suite = { suite: report.suite };
  const perCheck = (pick: (check: DqReport['checks'][number]) => number | null) => report.checks.map((check) => ({ labels: { ...suite, check: check.name }, value: pick(check) }));
  const families: Family[] = [
    { name: 'dq_check_value', help: 'Observed value of a data-quality check (unit per check in docs/data-quality.md; NaN when nothing was measured).', samples: perCheck((check) => check.value) },
    { name: 'dq_check_status', help: 'Verdict of a data-quality check: 0 pass, 1 warn, 2 fail.', samples: perCheck((check) => verdictLevel(check.verdict)) },
    { name: 'dq_check_warn_threshold', help: 'Warn threshold of a data-quality check (NaN when it has none).', samples: perCheck((check) => check.warn) },
    { name: 'dq_check_fail_threshold', help: 'Fail threshold of a data-quality check (NaN when it has none).', samples: perCheck((check) => check.fail) },
    { name: 'dq_score', help: 'Data-quality score 0-100: weighted mean of the verdicts (pass 1, warn 0.5, fail 0).', samples: [{ labels: suite, value: report.score }] },
    { name: 'dq_window_seconds', help: 'Length of the data window the last run checked.', samples: [{ labels: suite, value: (report.window.toMs - report.window.fromMs) / 1_000 }] },
    { name: 'dq_run_duration_seconds', help: 'How long the last data-quality run took.', samples: [{ labels: suite, value: (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1_000 }] },
    { name: 'dq_last_run_timestamp_seconds', help: 'When the last data-quality run finished (Unix time).', samples: [{ labels: suite, value: Date.parse(report.finishedAt) / 1_000 }] },
  ];
  return `${families.map(renderFamily).join('\n')}\n`;
}

/**
 * The loop's own health, appended to the last run's figures: when it last tried a run and whether that
 * attempt succeeded (a failed attempt leaves the previous run's figures, and their timestamp, in place).
 */
export function attemptText(suite: string, attemptedAtMs: number, succeeded: boolean): string {
  const labels = { suite };
  return `${[
    renderFamily({ name: 'dq_last_attempt_timestamp_seconds', help: 'When the loop last started a data-quality run (Unix time).', samples: [{ labels, value: attemptedAtMs / 1_000 }] }),
    renderFamily({ name: 'dq_last_attempt_success', help: '1 when the last data-quality run attempt succeeded, 0 when it failed.', samples: [{ labels, value: succeeded ? 1 : 0 }] }),
  ].join('\n')}\n`;
}
