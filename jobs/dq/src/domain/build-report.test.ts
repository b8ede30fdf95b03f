import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import type { WarehouseMeasurements } from './measurements.js';
import type { DqReport } from './report.js';
import { cdcRecord, deadLetterRecord, healthyMeasurements, HOUR, repoSettings, topicRead, WINDOW } from '../testing/fixtures.js';
import type { TopicReadResult } from './measurements.js';

const settings = repoSettings();

function report(measured: WarehouseMeasurements, deadLetters: TopicReadResult = topicRead([], ['dlq.normalize']), cdc: TopicReadResult = topicRead([cdcRecord('cdc.shop.orders', 800)])): DqReport {
  return buildReport(
    { runId: 'dq-test', suite: settings.suite, startedAtMs: WINDOW.toMs, finishedAtMs: WINDOW.toMs + 1_000, catalogueScope: 'all', configFile: 'config/data-quality.yaml' },
    measured,
    deadLetters,
    cdc,
    { window: WINDOW, lateAfterMs: 900_000, futureToleranceMs: 60_000, deadLetterPrefix: 'dlq.', policy: { thresholds: settings.checks, unmeasured: settings.unmeasured_verdict } },
  );
}

const verdicts = (result: DqReport): Record<string, string> => Object.fromEntries(result.checks.filter((check) => check.verdict !== 'pass').map((check) => [check.name, check.verdict]));
const check = (result: DqReport, name: string) => result.checks.find((entry) => entry.name === name);

describe('a run report', () => {
  it('passes every check on healthy data and scores 100', () => {
    const result = report(healthyMeasurements());
    expect(verdicts(result)).toEqual({});
    expect(result.score).toBe(100);
    expect(result.status).toBe('passed');
    expect(check(result, 'event_volume')?.value).toBe(90);
    expect(check(result, 'cdc_lag_p95')?.value).toBe(0.8);
  });

  it('flags a three-hour gap, duplicates, a price outlier and a future-dated event, and nothing else', () => {
    const measured = healthyMeasurements();
    const withProblems: WarehouseMeasurements = {
      ...measured,
      // hours 2, 3, 4 empty between busy hours 1 and 5
      hourly: measured.hourly.filter((row) => ![2, 3, 4].includes((row.hourMs - WINDOW.fromMs) / HOUR)),
      tables: measured.tables.map((table) => (table.table === 'interactions' ? { ...table, rows: 102, rowsFinal: 100 } : table)),
      prices: [...measured.prices, { id: '9999', price: 99_999 }],
      future: measured.future.map((table) => (table.table === 'interactions' ? { ...table, count: 1, afterIngest: 1, samples: [{ id: 'e1', userId: 'u1', eventTimeMs: WINDOW.fromMs + HOUR, ingestTimeMs: WINDOW.fromMs }] } : table)),
    };
    const result = report(withProblems);
    expect(verdicts(result)).toEqual({ completeness_gaps: 'fail', duplicates_interactions: 'fail', price_outliers: 'warn', future_events: 'warn' });
    // 2 of 102 rows: 1.96 % > 1 %
    expect(check(result, 'duplicates_interactions')?.value).toBeCloseTo(2 / 102, 10);
    expect(check(result, 'completeness_gaps')?.value).toBe(3);
    // 1 of 21 priced items outside both fences
    expect(check(result, 'price_outliers')?.value).toBeCloseTo(1 / 21, 10);
    expect(result.data.prices?.outliers.map((outlier) => [outlier.id, outlier.byIqr, outlier.byZ])).toEqual([['9999', true, true]]);
    expect(result.data.eventsPerHour.completeness.gaps).toEqual([{ fromMs: WINDOW.fromMs + 2 * HOUR, hours: 3 }]);
    // weights: gaps 3 fail, duplicates 1 fail, prices 1 warn, future 2 warn; total weight 29
    const total = settings.checks;
    const weight = Object.values(total).reduce((sum, entry) => sum + entry.weight, 0);
    expect(result.score).toBe(Math.round((1000 * (weight - 3 - 1 - 0.5 - 1)) / weight) / 10);
    expect(result.status).toBe('failed');
  });

  it('warns on dead letters and counts them per processor and reason', () => {
    const result = report(healthyMeasurements(), topicRead([deadLetterRecord('normalize', 'unmapped_url'), deadLetterRecord('normalize', 'unmapped_url'), deadLetterRecord('features', '<script>x</script>')]));
    expect(verdicts(result)).toEqual({ dlq_records: 'warn' });
    expect(result.data.deadLetters.counts.map((letter) => [letter.processor, letter.reason, letter.count])).toEqual([['normalize', 'unmapped_url', 2], ['features', '<script>x</script>', 1]]);
  });

  it('gives checks whose topics could not be read the configured verdict, and a quiet window a pass', () => {
    const result = report(healthyMeasurements(), { error: 'connect ECONNREFUSED' }, { error: 'connect ECONNREFUSED' });
    expect(verdicts(result)).toEqual({ dlq_records: settings.unmeasured_verdict, cdc_lag_p95: settings.unmeasured_verdict });
    expect(check(result, 'dlq_records')?.value).toBeNull();
    expect(check(result, 'dlq_records')?.message).toContain('ECONNREFUSED');
    const quiet = report(healthyMeasurements(), topicRead([]), topicRead([], ['cdc.shop.orders']));
    expect(check(quiet, 'cdc_lag_p95')).toMatchObject({ value: null, verdict: 'pass' });
  });

  it('fails an empty window on volume and does not invent gaps or shares', () => {
    const measured = healthyMeasurements();
    const result = report({ ...measured, hourly: [], itemEvents: [], delays: [], tables: measured.tables.map((table) => ({ ...table, rows: 0, rowsFinal: 0, currentRows: 0 })) });
    expect(verdicts(result)).toEqual({ event_volume: 'fail' });
    expect(check(result, 'completeness_gaps')?.value).toBeNull();
    expect(check(result, 'nulls_interactions')?.value).toBeNull();
    expect(check(result, 'popularity_gini')?.value).toBeNull();
  });

  it('flags concentrated popularity and late events', () => {
    const measured = healthyMeasurements();
    const result = report({
      ...measured,
      // one item holds 1000 of 1010 events over 11 items: Gini ≈ 0.9, top-1 share ≈ 0.99
      itemEvents: [{ itemId: '1', events: 1000 }, ...Array.from({ length: 10 }, (_, index) => ({ itemId: String(index + 2), events: 1 }))],
      delays: measured.delays.map((series) => (series.series === 'matomo' ? { ...series, late: 6 } : series)),
    });
    // sorted [1×10, 1000]: Σ(2i−n−1)x = Σ_{i=1..10}(2i−12) + 10·1000 = −10 + 10000; / (11·1010) = 0.8991
    expect(check(result, 'popularity_gini')?.value).toBeCloseTo(9_990 / 11_110, 10);
    expect(check(result, 'popularity_top1_share')).toMatchObject({ value: 1000 / 1010, verdict: 'fail' });
    // 6 late of 90 events = 6.7 % > 5 %
    expect(check(result, 'late_events')).toMatchObject({ value: 6 / 90, verdict: 'fail' });
  });
});
