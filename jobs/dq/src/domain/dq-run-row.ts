import { clickHouseDateTime } from '@streamrec/foundation';
import type { DqReport } from './report.js';
import { Verdict } from './verdict.js';

export { clickHouseDateTime };

/**
 * The run as one streamrec.dq_runs row (schemas/clickhouse/009_dq_runs.sql). Per check: `passed` is 1
 * only for a pass; `severity` and `threshold` name the threshold that decided — the fail threshold for a
 * failure, else the warn threshold (or the fail one when the check has no warn threshold); `observed`
 * is NaN-free (0 when nothing was measured, the message says so).
 */
export function dqRunRow(report: DqReport): Record<string, unknown> {
  const decisive = report.checks.map((check) => {
    if (check.verdict === Verdict.Fail || check.warn === null) return { severity: 'fail', threshold: check.fail ?? 0 };
    return { severity: 'warn', threshold: check.warn };
  });
  return {
    run_id: report.runId,
    suite: report.suite,
    started_at: clickHouseDateTime(Date.parse(report.startedAt)),
    finished_at: clickHouseDateTime(Date.parse(report.finishedAt)),
    window_from: clickHouseDateTime(report.window.fromMs),
    window_to: clickHouseDateTime(report.window.toMs),
    status: report.status,
    'checks.name': report.checks.map((check) => check.name),
    'checks.target': report.checks.map((check) => check.target),
    'checks.severity': decisive.map((entry) => entry.severity),
    'checks.passed': report.checks.map((check) => (check.verdict === Verdict.Pass ? 1 : 0)),
    'checks.observed': report.checks.map((check) => (check.value === null || !Number.isFinite(check.value) ? 0 : check.value)),
    'checks.threshold': decisive.map((entry) => entry.threshold),
    'checks.message': report.checks.map((check) => `${check.verdict}: ${check.message}`),
  };
}
