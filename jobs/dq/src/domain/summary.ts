import { formatValue } from './format.js';
import type { DqReport } from './report.js';
import { Verdict } from './verdict.js';

/** The one-screen summary on stdout: score, status, then the failing and warning checks. */
export function summaryLines(report: DqReport, files: readonly string[]): string[] {
  const failing = report.checks.filter((check) => check.verdict === Verdict.Fail);
  const warning = report.checks.filter((check) => check.verdict === Verdict.Warn);
  const line = (check: DqReport['checks'][number]): string => `  ${check.verdict.toUpperCase()} ${check.name.padEnd(24)} ${formatValue(check.value, check.unit).padStart(10)}  ${clip(check.message, 110)}`;
  return [
    `data quality ${report.suite} ${report.window.from} – ${report.window.to}: score ${report.score.toFixed(1)}/100, ${report.status} (${report.checks.length - failing.length - warning.length} pass, ${warning.length} warn, ${failing.length} fail)`,
    ...(failing.length > 0 ? ['failing:', ...failing.map(line)] : []),
    ...(warning.length > 0 ? ['warning:', ...warning.map(line)] : []),
    `run ${report.runId}; ${files.join(', ')}`,
  ];
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
