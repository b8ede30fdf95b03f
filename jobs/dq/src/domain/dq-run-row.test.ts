import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { clickHouseDateTime, dqRunRow } from './dq-run-row.js';
import { healthyMeasurements, repoSettings, topicRead, WINDOW } from '../testing/fixtures.js';

describe('the dq_runs row', () => {
  const settings = repoSettings();
  const measured = healthyMeasurements();
  const report = buildReport(
    { runId: 'dq-r', suite: 'pipeline', startedAtMs: WINDOW.toMs, finishedAtMs: WINDOW.toMs + 1_999, catalogueScope: 'all', configFile: 'c' },
    { ...measured, tables: measured.tables.map((table) => (table.table === 'exposures' ? { ...table, rows: 110 } : table)) },
    topicRead([]),
    topicRead([]),
    { window: WINDOW, lateAfterMs: 900_000, futureToleranceMs: 60_000, deadLetterPrefix: 'dlq.', policy: { thresholds: settings.checks, unmeasured: 'warn' } },
  );
  const row = dqRunRow(report);

  it('has the columns of 009_dq_runs.sql, times as DateTime text', () => {
    expect(Object.keys(row).sort()).toEqual(['checks.message', 'checks.name', 'checks.observed', 'checks.passed', 'checks.severity', 'checks.target', 'checks.threshold', 'finished_at', 'run_id', 'started_at', 'status', 'suite', 'window_from', 'window_to']);
    expect(row).toMatchObject({ run_id: 'dq-r', suite: 'pipeline', status: 'failed', window_from: '2001-03-10 00:00:00', window_to: '2001-03-10 06:00:00', finished_at: '2001-03-10 06:00:01' });
    expect(clickHouseDateTime(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toBe('2026-01-02 03:04:05');
  });

  it('keeps the Nested columns aligned and names the deciding threshold', () => {
    const names = row['checks.name'] as string[];
    for (const key of ['checks.target', 'checks.severity', 'checks.passed', 'checks.observed', 'checks.threshold', 'checks.message']) expect(row[key]).toHaveLength(names.length);
    const at = names.indexOf('duplicates_exposures');
    expect((row['checks.passed'] as number[])[at]).toBe(0);
    expect((row['checks.severity'] as string[])[at]).toBe('fail');
    expect((row['checks.threshold'] as number[])[at]).toBe(0.01);
    const volume = names.indexOf('event_volume');
    expect([(row['checks.passed'] as number[])[volume], (row['checks.severity'] as string[])[volume], (row['checks.threshold'] as number[])[volume]]).toEqual([1, 'fail', 1]);
    expect((row['checks.observed'] as number[]).every(Number.isFinite)).toBe(true);
  });
});
