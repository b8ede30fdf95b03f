import { binValues } from '@streamrec/html-report';
import { completeness, denseSeries, hourStarts } from './gaps.js';
import { isReadFailure, type TopicReadResult, type WarehouseMeasurements, type PricedItem, type ItemEvents } from './measurements.js';
import { delayEdges } from './queries.js';
import type { PopularityFigures, PriceFigures, PriceOutlier, ReportData } from './report.js';
import { ascending, gini, iqrFences, lorenzCurve, quantileSorted, topShare, zFences, zScore } from './statistics.js';
import { cdcLag, countDeadLetters } from './topic-records.js';
import type { DataWindow } from './window.js';
import { duration } from './format.js';

export interface FigureOptions {
  readonly window: DataWindow;
  readonly lateAfterMs: number;
  readonly futureToleranceMs: number;
  readonly deadLetterPrefix: string;
}

/** Interactions by source first (in a fixed order), then exposures. */
export const SOURCE_ORDER: readonly string[] = ['matomo', 'shop', 'beacon', 'exposures'];

export function priceFigures(items: readonly PricedItem[]): PriceFigures | null {
  const priced = items.filter((item) => Number.isFinite(item.price) && item.price > 0);
  if (priced.length === 0) return null;
  const prices = priced.map((item) => item.price);
  const sorted = ascending(prices);
  const iqr = iqrFences(prices);
  const z = zFences(prices);
  const median = quantileSorted(sorted, 0.5);
  const flagged: PriceOutlier[] = priced
    .map((item) => ({ id: item.id, price: item.price, z: zScore(item.price, z), byIqr: item.price < iqr.lower || item.price > iqr.upper, byZ: z.sd > 0 && Math.abs(zScore(item.price, z)) > 3 }))
    .filter((outlier) => outlier.byIqr || outlier.byZ);
  const both = flagged.filter((outlier) => outlier.byIqr && outlier.byZ);
  const outliers = [...flagged].sort((a, b) => Number(b.byIqr && b.byZ) - Number(a.byIqr && a.byZ) || Math.abs(b.price - median) - Math.abs(a.price - median) || a.id.localeCompare(b.id)).slice(0, 50);
  return {
    items: items.length,
    free: items.filter((item) => item.price === 0).length,
    priced: priced.length,
    min: sorted[0] ?? Number.NaN,
    median,
    max: sorted.at(-1) ?? Number.NaN,
    iqr,
    z,
    iqrOutliers: flagged.filter((outlier) => outlier.byIqr).length,
    zOutliers: flagged.filter((outlier) => outlier.byZ).length,
    bothOutliers: both.length,
    outliers,
    bins: binValues(prices, { scale: 'log', count: Math.min(40, Math.max(8, Math.ceil(Math.log2(prices.length) + 1) * 2)) }),
  };
}

export function popularityFigures(items: readonly ItemEvents[]): PopularityFigures | null {
  const withEvents = items.filter((item) => item.events > 0);
  if (withEvents.length === 0) return null;
  const counts = withEvents.map((item) => item.events);
  const top = topShare(counts, 0.01);
  return {
    items: withEvents.length,
    events: counts.reduce((sum, value) => sum + value, 0),
    gini: gini(counts),
    top1Share: top.share,
    top1Items: top.holders,
    lorenz: lorenzCurve(counts, 100),
    top: [...withEvents].sort((a, b) => b.events - a.events || a.itemId.localeCompare(b.itemId)).slice(0, 20),
  };
}

/** Labels of the delay buckets of `delayEdges`: future, < 1 s, …, ≥ the last edge. */
export function delayBucketLabels(lateAfterMs: number): string[] {
  const edges = delayEdges(lateAfterMs);
  return ['future', `< ${duration(edges[0] ?? 0)}`, ...edges.slice(1).map((edge, index) => `${duration(edges[index] ?? 0)}–${duration(edge)}`), `≥ ${duration(edges.at(-1) ?? 0)}`];
}

function topicFigures(read: TopicReadResult): { topics: readonly string[]; records: number; partial: boolean; error: string | null } {
  return isReadFailure(read) ? { topics: [], records: 0, partial: false, error: read.error } : { topics: read.topics, records: read.records.length, partial: read.partial, error: null };
}

/** Everything the checks judge and the report draws, from the raw measurements. */
export function reportData(measured: WarehouseMeasurements, deadLetters: TopicReadResult, cdc: TopicReadResult, options: FigureOptions): ReportData {
  const hours = hourStarts(options.window.fromMs, options.window.toMs);
  const names = [...new Set(measured.hourly.map((row) => row.series))].sort((a, b) => (SOURCE_ORDER.indexOf(a) + 1 || 99) - (SOURCE_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const series = names.map((name) => ({ name, counts: denseSeries(hours, measured.hourly.filter((row) => row.series === name)) }));
  const total = hours.map((_, index) => series.reduce((sum, one) => sum + (one.counts[index] ?? 0), 0));
  const edges = delayEdges(options.lateAfterMs);
  const letters = isReadFailure(deadLetters) ? [] : countDeadLetters(deadLetters.records, options.deadLetterPrefix);
  const lag = cdcLag(isReadFailure(cdc) ? [] : cdc.records);
  return {
    eventsPerHour: { hours, series, total, completeness: completeness(total, hours[0] ?? options.window.fromMs) },
    tables: measured.tables.map((table) => {
      const duplicateRows = Math.max(0, table.rows - table.rowsFinal);
      return { ...table, duplicateRows, duplicateShare: table.rows > 0 ? duplicateRows / table.rows : null, missingShare: table.currentRows > 0 ? table.missingRows / table.currentRows : null };
    }),
    prices: priceFigures(measured.prices),
    popularity: popularityFigures(measured.itemEvents),
    delays: {
      lateAfterSeconds: options.lateAfterMs / 1_000,
      futureToleranceSeconds: options.futureToleranceMs / 1_000,
      bucketLabels: delayBucketLabels(options.lateAfterMs),
      // bucket i + 2 starts at edges[i]
      firstLateBucket: edges.indexOf(options.lateAfterMs) + 2,
      series: measured.delays,
      future: measured.future,
    },
    deadLetters: { ...topicFigures(deadLetters), total: letters.reduce((sum, letter) => sum + letter.count, 0), counts: letters },
    cdcLag: {
      ...topicFigures(cdc),
      method: 'Kafka record timestamp − Debezium source.ts_ms (the binlog event time, whole seconds) of the newest streamed changes (op c/u/d) on the CDC topics in the window',
      overall: lag.overall,
      perTopic: lag.perTopic,
    },
  };
}
