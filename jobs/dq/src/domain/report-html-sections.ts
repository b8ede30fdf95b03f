import { barChart, histogram, lineChart, shortNumber, table, type Section } from '@streamrec/html-report';
import { count, duration, percent } from './format.js';
import { checkOf, sectionBadge, toneOf } from './report-html-parts.js';
import type { DqReport } from './report.js';
import { judge } from './verdict.js';
import { isoSeconds } from './window.js';

export function priceSection(report: DqReport): Section {
  const prices = report.data.prices;
  const base = { title: 'Catalogue prices', badge: sectionBadge(report, ['price_outliers']) };
  if (prices === null) return { ...base, intro: 'No priced items in scope.', body: [] };
  return {
    ...base,
    intro: `${count(prices.items)} items in scope, ${count(prices.free)} free (left out), ${count(prices.priced)} priced: min ${shortNumber(prices.min)}, median ${shortNumber(prices.median)}, max ${shortNumber(prices.max)}. Outliers by Tukey's fences (Q1 − 1.5 IQR, Q3 + 1.5 IQR) and by |z| > 3 (population standard deviation); the check counts the items outside both.`,
    body: [
      histogram({
        title: 'Price distribution of the catalogue',
        xLabel: 'price',
        yLabel: 'items',
        xScale: 'log',
        // bins beyond a fence in the warn colour, beyond |z| = 3 in the fail colour
        bins: prices.bins.map((bin) => ({ ...bin, tone: bin.from >= prices.z.upper || bin.to <= prices.z.lower ? ('fail' as const) : bin.from >= prices.iqr.upper || bin.to <= prices.iqr.lower ? ('warn' as const) : ('neutral' as const) })),
        markers: [
          { value: prices.median, label: 'median', tone: 'muted' },
          { value: prices.iqr.lower, label: 'Q1 − 1.5 IQR', tone: 'warn' },
          { value: prices.iqr.upper, label: 'Q3 + 1.5 IQR', tone: 'warn' },
          { value: prices.z.lower, label: 'mean − 3 sd', tone: 'fail' },
          { value: prices.z.upper, label: 'mean + 3 sd', tone: 'fail' },
        ],
        caption: `Q1 ${shortNumber(prices.iqr.q1)}, Q3 ${shortNumber(prices.iqr.q3)}, IQR ${shortNumber(prices.iqr.iqr)}; mean ${shortNumber(prices.z.mean)}, sd ${shortNumber(prices.z.sd)}. ${prices.iqrOutliers} outlier(s) by IQR, ${prices.zOutliers} by z-score, ${prices.bothOutliers} by both.`,
      }),
      table({
        caption: 'Outliers (both rules first, at most 50)',
        columns: [{ label: 'item id' }, { label: 'price', numeric: true }, { label: 'z', numeric: true }, { label: 'IQR rule' }, { label: 'z rule' }],
        rows: prices.outliers.map((outlier) => [outlier.id, outlier.price.toFixed(2), outlier.z.toFixed(2), outlier.byIqr ? 'outside' : '', outlier.byZ ? 'outside' : '']),
        empty: 'no outlier',
      }),
    ],
  };
}

export function popularitySection(report: DqReport): Section {
  const popularity = report.data.popularity;
  const base = { title: 'Popularity concentration', badge: sectionBadge(report, ['popularity_gini', 'popularity_top1_share']) };
  if (popularity === null) return { ...base, intro: 'No interactions in the window.', body: [] };
  return {
    ...base,
    intro: `Distinct events per item over the ${count(popularity.items)} items with events in the window (${count(popularity.events)} events). Gini ${popularity.gini.toFixed(3)}; the top ${popularity.top1Items} item(s) (1 %) hold ${percent(popularity.top1Share)}. A sudden jump points at a bot, a tracking bug that stamps one item id, or a broken join.`,
    body: [
      lineChart({
        title: 'Lorenz curve of events per item',
        x: { kind: 'number', label: 'share of items (least popular first)', format: 'percent' },
        yLabel: 'share of events',
        yFormat: 'percent',
        series: [
          { name: `items (Gini ${popularity.gini.toFixed(3)})`, points: popularity.lorenz },
          { name: 'perfect equality', dashed: true, points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        ],
      }),
      barChart({
        title: 'Most popular items (distinct events)',
        orientation: 'horizontal',
        valueLabel: 'events',
        bars: popularity.top.slice(0, 12).map((item) => ({ label: `item ${item.itemId}`, value: item.events, tone: toneOf(checkOf(report, 'popularity_top1_share')) === 'pass' ? 'neutral' : toneOf(checkOf(report, 'popularity_top1_share')) })),
      }),
    ],
  };
}

export function timelinessSection(report: DqReport): Section {
  const delays = report.data.delays;
  const combined = delays.bucketLabels.map((_, index) => delays.series.reduce((sum, series) => sum + (series.buckets[index] ?? 0), 0));
  const future = delays.future.flatMap((table) => table.samples.map((sample) => ({ table: table.table, ...sample })));
  return {
    title: 'Late and future-dated events',
    badge: sectionBadge(report, ['late_events', 'future_events']),
    intro: `Ingest time − event time of the events in the window. Late: ingested more than ${duration(delays.lateAfterSeconds * 1_000)} after they happened. Future-dated: an event time after the ingest time, or after now, by more than ${duration(delays.futureToleranceSeconds * 1_000)} (events dated or ingested in the window).`,
    body: [
      barChart({
        title: 'Events by ingest delay',
        orientation: 'vertical',
        valueLabel: 'events',
        bars: delays.bucketLabels.map((label, index) => ({ label, value: combined[index] ?? 0, tone: index === 0 || index >= delays.firstLateBucket ? ((combined[index] ?? 0) > 0 ? 'fail' : 'muted') : 'neutral' })),
        caption: 'Red bars: future-dated (left) and late (right of the late threshold).',
      }),
      table({
        caption: 'Delay per series (quantiles are approximate: ClickHouse quantiles())',
        columns: [{ label: 'series' }, { label: 'events', numeric: true }, { label: 'late', numeric: true }, { label: 'p50', numeric: true }, { label: 'p95', numeric: true }, { label: 'p99', numeric: true }, { label: 'max', numeric: true }],
        rows: delays.series.map((series) => [series.series, count(series.events), count(series.late), duration(series.p50Ms), duration(series.p95Ms), duration(series.p99Ms), duration(series.maxMs)]),
        empty: 'no events in the window',
      }),
      table({
        caption: 'Future-dated events (newest first, at most 20 per table)',
        columns: [{ label: 'table' }, { label: 'id' }, { label: 'user' }, { label: 'event time (UTC)' }, { label: 'ingest time (UTC)' }],
        rows: future.map((sample) => [sample.table, sample.id, sample.userId, isoSeconds(sample.eventTimeMs), isoSeconds(sample.ingestTimeMs)]),
        empty: 'none',
      }),
    ],
  };
}

export function deadLetterSection(report: DqReport): Section {
  const letters = report.data.deadLetters;
  return {
    title: 'Dead letters',
    badge: sectionBadge(report, ['dlq_records']),
    intro: letters.error !== null ? `The dead-letter topics could not be read: ${letters.error}` : `${count(letters.total)} dead letters written in the window on ${letters.topics.length} topic(s) (${letters.topics.join(', ') || 'none'}), the newest records of each partition read${letters.partial ? '; the read timed out, so these are at least' : ''}; a letter sent again after a crash counts once. Read one with npm run topics -- tail dlq.<processor>.`,
    body: [
      barChart({
        title: 'Dead letters per processor and reason',
        orientation: 'horizontal',
        valueLabel: 'records',
        bars: letters.counts.slice(0, 15).map((letter) => ({ label: `${letter.processor}: ${letter.reason}`, value: letter.count, tone: toneOf(checkOf(report, 'dlq_records')) })),
      }),
      table({
        columns: [{ label: 'processor' }, { label: 'code' }, { label: 'reason' }, { label: 'records', numeric: true }],
        rows: letters.counts.map((letter) => [letter.processor, letter.code, letter.reason, count(letter.count)]),
        empty: 'no dead letter in the window',
      }),
    ],
  };
}

export function cdcSection(report: DqReport): Section {
  const lag = report.data.cdcLag;
  const check = checkOf(report, 'cdc_lag_p95');
  const markers = [
    ...(check?.warn === null || check?.warn === undefined ? [] : [{ value: check.warn, label: `warn ${check.warn} s`, tone: 'warn' as const }]),
    ...(check?.fail === null || check?.fail === undefined ? [] : [{ value: check.fail, label: `fail ${check.fail} s`, tone: 'fail' as const }]),
  ];
  return {
    title: 'CDC lag',
    badge: sectionBadge(report, ['cdc_lag_p95']),
    intro: lag.error !== null ? `The CDC topics could not be read: ${lag.error}` : `${lag.method}. MariaDB stamps binlog events in whole seconds, so each sample overstates the lag by up to 1 s. ${count(lag.overall.samples)} samples from ${lag.perTopic.length} of ${lag.topics.length} topic(s).`,
    body: [
      barChart({
        title: 'CDC lag p95 per topic (seconds)',
        orientation: 'horizontal',
        valueLabel: 'seconds',
        bars: lag.perTopic.map((topic) => ({ label: topic.topic, value: topic.p95Ms / 1_000, tone: judge(topic.p95Ms / 1_000, { warn: check?.warn ?? undefined, fail: check?.fail ?? undefined }, 'max') })),
        markers,
      }),
      table({
        columns: [{ label: 'topic' }, { label: 'samples', numeric: true }, { label: 'p50', numeric: true }, { label: 'p95', numeric: true }, { label: 'max', numeric: true }],
        rows: lag.perTopic.map((topic) => [topic.topic, count(topic.samples), duration(topic.p50Ms), duration(topic.p95Ms), duration(topic.maxMs)]),
        empty: 'no streamed change in the window',
      }),
    ],
  };
}
