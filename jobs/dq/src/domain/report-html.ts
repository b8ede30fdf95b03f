import { SERIES_COLOURS, barChart, lineChart, renderPage, table, verdictBadge, type Section } from '@streamrec/html-report';
import { SOURCE_ORDER } from './figures.js';
import { count, formatValue, percent } from './format.js';
import { cdcSection, deadLetterSection, popularitySection, priceSection, timelinessSection } from './report-html-sections.js';
import { checkOf, sectionBadge, toneOf } from './report-html-parts.js';
import type { CheckResult, DqReport } from './report.js';
import { Verdict, worstVerdict } from './verdict.js';
import { isoSeconds } from './window.js';

function checksSection(report: DqReport): Section {
  const order = { fail: 0, warn: 1, pass: 2 } as const;
  const sorted = [...report.checks].sort((a, b) => order[a.verdict] - order[b.verdict]);
  return {
    title: 'Checks',
    badge: verdictBadge(worstVerdict(report.checks.map((check) => check.verdict))),
    intro: 'Every check with its value, thresholds and verdict (failures first). A check warns or fails when its value crosses the threshold; "≥" checks must stay above theirs.',
    body: [
      table({
        columns: [{ label: 'check' }, { label: 'verdict' }, { label: 'value', numeric: true }, { label: 'warn', numeric: true }, { label: 'fail', numeric: true }, { label: 'weight', numeric: true }, { label: 'what was seen' }],
        rows: sorted.map((check) => [
          `${check.title} (${check.name})`,
          verdictBadge(check.verdict),
          formatValue(check.value, check.unit),
          threshold(check, check.warn),
          threshold(check, check.fail),
          check.weight,
          check.message,
        ]),
      }),
    ],
  };
}

const threshold = (check: CheckResult, value: number | null): string => (value === null ? '–' : `${check.direction === 'min' ? '≥ ' : '≤ '}${formatValue(value, check.unit)}`);

function eventsSection(report: DqReport): Section {
  const hourly = report.data.eventsPerHour;
  const figures = hourly.completeness;
  // the same colour for a source in every report
  const colour = (name: string): string => {
    const index = SOURCE_ORDER.indexOf(name);
    return SERIES_COLOURS[index >= 0 ? index : SOURCE_ORDER.length] ?? '#999999';
  };
  const series = hourly.series.map((one) => ({ name: one.name, colour: colour(one.name), points: hourly.hours.map((hour, index) => ({ x: hour, y: one.counts[index] ?? 0 })) }));
  const all = hourly.series.length > 1 ? [...series, { name: 'all events', dashed: true, colour: '#000000', points: hourly.hours.map((hour, index) => ({ x: hour, y: hourly.total[index] ?? 0 })) }] : series;
  return {
    title: 'Events per hour',
    badge: sectionBadge(report, ['event_volume', 'completeness_gaps']),
    intro: 'Interactions per source (stitched copies left out) and exposures, per UTC hour of event time. A gap is a run of empty hours between busy ones.',
    body: [
      lineChart({
        title: 'Events per hour by source',
        x: { kind: 'time' },
        yLabel: 'events per hour',
        series: all,
        bands: figures.gaps.map((gap) => ({ from: gap.fromMs - 3_600_000 / 2, to: gap.fromMs + (gap.hours - 0.5) * 3_600_000, label: `gap ${gap.hours} h`, tone: checkOf(report, 'completeness_gaps')?.verdict ?? 'warn' })),
        caption: `${figures.hoursWithEvents} of ${figures.hours} hours have events; ${figures.gaps.length} gap(s), longest ${figures.longestGapHours} h; ${figures.leadingEmptyHours} empty hour(s) at the start and ${figures.trailingEmptyHours} at the end of the window (not counted as gaps).`,
      }),
      table({
        caption: 'Gaps',
        columns: [{ label: 'from (UTC)' }, { label: 'to (UTC)' }, { label: 'empty hours', numeric: true }],
        rows: figures.gaps.map((gap) => [isoSeconds(gap.fromMs), isoSeconds(gap.fromMs + gap.hours * 3_600_000), gap.hours]),
        empty: 'no gap',
      }),
    ],
  };
}

function tablesSection(report: DqReport): Section {
  const tables = report.data.tables;
  const nulls = tables.map((entry) => checkOf(report, `nulls_${entry.table}`));
  const duplicates = tables.map((entry) => checkOf(report, `duplicates_${entry.table}`));
  return {
    title: 'Missing values and duplicates',
    badge: sectionBadge(report, [...nulls, ...duplicates].flatMap((check) => (check === undefined ? [] : [check.name]))),
    intro: `Per table of the DDL, rows in scope: event tables by event time in the window; orders by created_at, order_items through their orders; items and users ${report.catalogueScope === 'all' ? 'the whole current catalogue' : 'changed in the window'}. Duplicates are rows beyond the newest version of their key: count() − count() FINAL. Missing values are counted on the newest, not deleted rows.`,
    body: [
      table({
        columns: [{ label: 'table' }, { label: 'rows', numeric: true }, { label: 'keys (FINAL)', numeric: true }, { label: 'duplicates', numeric: true }, { label: 'share', numeric: true }, { label: 'current rows', numeric: true }, { label: 'missing', numeric: true }, { label: 'share', numeric: true }, { label: 'missing per column' }],
        rows: tables.map((entry, index) => [
          entry.table,
          count(entry.rows),
          count(entry.rowsFinal),
          count(entry.duplicateRows),
          duplicates[index] === undefined ? '–' : [verdictBadge(duplicates[index]?.verdict ?? Verdict.Pass), ` ${entry.duplicateShare === null ? 'n/a' : percent(entry.duplicateShare)}`],
          count(entry.currentRows),
          count(entry.missingRows),
          nulls[index] === undefined ? '–' : [verdictBadge(nulls[index]?.verdict ?? Verdict.Pass), ` ${entry.missingShare === null ? 'n/a' : percent(entry.missingShare)}`],
          entry.missingByColumn.filter((column) => column.rows > 0).map((column) => `${column.column}: ${count(column.rows)}`).join(', ') || 'none',
        ]),
      }),
      barChart({
        title: 'Duplicate rows per table (share of rows)',
        orientation: 'horizontal',
        valueLabel: 'share of rows beyond the newest version',
        valueFormat: 'percent',
        bars: tables.map((entry, index) => ({ label: entry.table, value: entry.duplicateShare ?? 0, tone: toneOf(duplicates[index]) })),
      }),
      barChart({
        title: 'Rows missing a required value (share of current rows)',
        orientation: 'horizontal',
        valueLabel: 'share of current rows',
        valueFormat: 'percent',
        bars: tables.map((entry, index) => ({ label: entry.table, value: entry.missingShare ?? 0, tone: toneOf(nulls[index]) })),
      }),
    ],
  };
}

/** The self-contained HTML report of a run. */
export function reportHtml(report: DqReport): string {
  const verdicts = { pass: 0, warn: 0, fail: 0 };
  for (const check of report.checks) verdicts[check.verdict] += 1;
  const events = report.data.eventsPerHour.total.reduce((sum, value) => sum + value, 0);
  const overall = worstVerdict(report.checks.map((check) => check.verdict));
  return renderPage({
    title: `Data quality — ${report.suite}`,
    subtitle: `Window ${report.window.from} – ${report.window.to} (UTC) · run ${report.runId} · finished ${report.finishedAt}`,
    cards: [
      { label: 'score (0–100)', value: report.score.toFixed(1) },
      { label: 'status', value: verdictBadge(overall, report.status.toUpperCase()) },
      { label: 'checks pass / warn / fail', value: `${verdicts.pass} / ${verdicts.warn} / ${verdicts.fail}` },
      { label: 'events in the window', value: count(events) },
    ],
    sections: [checksSection(report), eventsSection(report), tablesSection(report), priceSection(report), popularitySection(report), timelinessSection(report), deadLetterSection(report), cdcSection(report)],
    notes: [
      'Score: 100 × the weighted mean of the verdicts (pass 1, warn ½, fail 0), weights from config/data-quality.yaml.',
      `Catalogue scope: ${report.catalogueScope}. Config: ${report.configFile}.`,
      `CDC lag: ${report.data.cdcLag.method}.`,
      'All times are UTC. docs/data-quality.md explains every check and how to read this report.',
    ],
    footer: `Generated by npm run dq (jobs/dq), report format version ${report.version}.`,
  });
}
