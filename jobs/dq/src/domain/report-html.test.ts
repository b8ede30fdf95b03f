import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { reportHtml } from './report-html.js';
import { cdcRecord, deadLetterRecord, healthyMeasurements, HOUR, repoSettings, topicRead, WINDOW } from '../testing/fixtures.js';

const settings = repoSettings();
const measured = healthyMeasurements();
const report = buildReport(
  { runId: 'dq-html', suite: 'pipeline', startedAtMs: WINDOW.toMs, finishedAtMs: WINDOW.toMs + 1_000, catalogueScope: 'all', configFile: 'config/data-quality.yaml' },
  { ...measured, hourly: measured.hourly.filter((row) => row.hourMs !== WINDOW.fromMs + 2 * HOUR), prices: [...measured.prices, { id: '<img src=x onerror=alert(1)>', price: 99_999 }] },
  topicRead([deadLetterRecord('normalize', '<script>alert("dlq")</script>')]),
  topicRead([cdcRecord('cdc.shop.orders', 1_200), cdcRecord('cdc.shop.users', 90_000)]),
  { window: WINDOW, lateAfterMs: 900_000, futureToleranceMs: 60_000, deadLetterPrefix: 'dlq.', policy: { thresholds: settings.checks, unmeasured: 'warn' } },
);
const page = reportHtml(report);
const count = (pattern: RegExp): number => [...page.matchAll(pattern)].length;

describe('report.html', () => {
  it('is self-contained: no script, no stylesheet link, no external URL', () => {
    expect(page).not.toMatch(/<script|<link |<img|<iframe|@import|url\(/i);
    for (const match of page.matchAll(/https?:\/\/[^"'\s<]+/g)) expect(match[0]).toBe('http://www.w3.org/2000/svg');
  });

  it('escapes text that came from the data', () => {
    expect(page).toContain('&lt;script&gt;alert(&quot;dlq&quot;)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('has the charts of every section and no NaN in their geometry', () => {
    expect(count(/<figure class="chart" data-chart="line">/g)).toBe(2);
    expect(count(/<figure class="chart" data-chart="histogram">/g)).toBe(1);
    expect(count(/<figure class="chart" data-chart="bar">/g)).toBe(6);
    for (const match of page.matchAll(/ (?:d|x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"/g)) expect(match[1]).not.toMatch(/NaN|Infinity/);
  });

  it('shows the score, a badge per check and the gap', () => {
    expect(page).toContain(report.score.toFixed(1));
    expect(count(/<span class="badge badge-(?:pass|warn|fail)"/g)).toBeGreaterThanOrEqual(report.checks.length);
    expect(page).toContain('<td>2001-03-10T02:00:00Z</td><td>2001-03-10T03:00:00Z</td><td class="num">1</td>');
    expect(page).toContain('>price (log scale)</text>');
    expect(page).toContain('>events per hour</text>');
  });
});
