import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { attemptText, labelValue, prometheusText, sampleValue } from './prometheus-text.js';
import { healthyMeasurements, repoSettings, topicRead, WINDOW } from '../testing/fixtures.js';

const settings = repoSettings();
const report = buildReport(
  { runId: 'dq-x', suite: 'pipeline', startedAtMs: WINDOW.toMs, finishedAtMs: WINDOW.toMs + 2_500, catalogueScope: 'all', configFile: 'c' },
  healthyMeasurements(),
  topicRead([]),
  { error: 'down' },
  { window: WINDOW, lateAfterMs: 900_000, futureToleranceMs: 60_000, deadLetterPrefix: 'dlq.', policy: { thresholds: settings.checks, unmeasured: 'warn' } },
);
const text = prometheusText(report);
/** One sample line of the text format: name, optional {label="value",…}, a value. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*\})? (NaN|[+-]Inf|-?\d+(\.\d+)?(e[+-]?\d+)?)$/;

describe('metrics.prom', () => {
  it('is the text format: HELP and TYPE before each family, every other line a sample', () => {
    const lines = text.trimEnd().split('\n');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of lines) {
      if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      expect(line).toMatch(SAMPLE);
    }
    const families = lines.filter((line) => line.startsWith('# TYPE ')).map((line) => line.split(' ')[2]);
    expect(families).toEqual(['dq_check_value', 'dq_check_status', 'dq_check_warn_threshold', 'dq_check_fail_threshold', 'dq_score', 'dq_window_seconds', 'dq_run_duration_seconds', 'dq_last_run_timestamp_seconds']);
  });

  it('has a value and a status per check, the score and the run time', () => {
    expect(text.match(/^dq_check_status\{/gm)).toHaveLength(report.checks.length);
    expect(text).toContain('dq_check_value{suite="pipeline",check="event_volume"} 90');
    expect(text).toContain('dq_check_status{suite="pipeline",check="cdc_lag_p95"} 1');
    expect(text).toContain('dq_check_value{suite="pipeline",check="cdc_lag_p95"} NaN');
    expect(text).toContain('dq_check_warn_threshold{suite="pipeline",check="event_volume"} NaN');
    expect(text).toContain(`dq_score{suite="pipeline"} ${report.score}`);
    expect(text).toContain(`dq_last_run_timestamp_seconds{suite="pipeline"} ${(WINDOW.toMs + 2_500) / 1_000}`);
    expect(text).toContain('dq_run_duration_seconds{suite="pipeline"} 2.5');
  });

  it('escapes label values and spells special values', () => {
    expect(labelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect([sampleValue(null), sampleValue(Number.NaN), sampleValue(Number.POSITIVE_INFINITY), sampleValue(-0.5)]).toEqual(['NaN', 'NaN', '+Inf', '-0.5']);
  });

  it('adds the loop attempt', () => {
    expect(attemptText('pipeline', 1_000, false)).toContain('dq_last_attempt_success{suite="pipeline"} 0');
  });
});
