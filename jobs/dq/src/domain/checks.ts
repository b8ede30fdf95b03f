import { CHECKS, TABLES, type CheckDefinition, type CheckName } from './catalogue.js';
import { count, duration, formatValue, percent } from './format.js';
import type { CheckResult, ReportData } from './report.js';
import { judge, Verdict, type Thresholds } from './verdict.js';

/** How strictly to judge: thresholds and weights per check (config/data-quality.yaml). */
export interface CheckPolicy {
  readonly thresholds: Readonly<Record<CheckName, Thresholds & { readonly weight: number }>>;
  /** Verdict of a check whose source could not be read. */
  readonly unmeasured: Verdict;
}

/** A measured value, nothing to measure (passes), or a source that could not be read (policy.unmeasured). */
type Observation = { readonly value: number; readonly message: string } | { readonly value: null; readonly message: string; readonly unreadable: boolean };

const empty = (message: string): Observation => ({ value: null, message, unreadable: false });
const unreadable = (message: string): Observation => ({ value: null, message, unreadable: true });

function observe(name: CheckName, data: ReportData): Observation {
  const table = TABLES.find((candidate) => name === `nulls_${candidate}` || name === `duplicates_${candidate}`);
  if (table !== undefined) {
    const figures = data.tables.find((entry) => entry.table === table);
    if (figures === undefined) return unreadable(`${table} was not measured`);
    if (name.startsWith('nulls_')) {
      if (figures.missingShare === null) return empty(`no current rows of ${table} in scope`);
      const columns = figures.missingByColumn.filter((column) => column.rows > 0).map((column) => `${column.column} ${count(column.rows)}`);
      return { value: figures.missingShare, message: `${count(figures.missingRows)} of ${count(figures.currentRows)} current rows miss a required value${columns.length > 0 ? ` (${columns.join(', ')})` : ''}` };
    }
    if (figures.duplicateShare === null) return empty(`no rows of ${table} in scope`);
    return { value: figures.duplicateShare, message: `${count(figures.duplicateRows)} of ${count(figures.rows)} rows are beyond the newest version of their key (${count(figures.rowsFinal)} keys with FINAL)` };
  }
  switch (name) {
    case 'event_volume': {
      const total = data.eventsPerHour.total.reduce((sum, value) => sum + value, 0);
      return { value: total, message: `${count(total)} events (${data.eventsPerHour.series.map((series) => `${series.name} ${count(series.counts.reduce((sum, value) => sum + value, 0))}`).join(', ') || 'none'}) in ${data.eventsPerHour.hours.length} hours` };
    }
    case 'completeness_gaps': {
      const figures = data.eventsPerHour.completeness;
      if (figures.hoursWithEvents === 0) return empty('no events in the window (see event_volume)');
      return { value: figures.longestGapHours, message: `${figures.gaps.length} gap(s), ${figures.gapHours} empty hour(s) between busy hours, longest ${figures.longestGapHours} h; ${figures.hoursWithEvents} of ${figures.hours} hours have events` };
    }
    case 'price_outliers': {
      const prices = data.prices;
      if (prices === null) return empty('no priced items in scope');
      return { value: prices.bothOutliers / prices.priced, message: `${prices.bothOutliers} of ${count(prices.priced)} priced items outside both the IQR fences [${count(prices.iqr.lower)}, ${count(prices.iqr.upper)}] and |z| ≤ 3 [${count(prices.z.lower)}, ${count(prices.z.upper)}] (IQR alone ${prices.iqrOutliers}, z alone ${prices.zOutliers})` };
    }
    case 'popularity_gini':
      return data.popularity === null ? empty('no interactions in the window') : { value: data.popularity.gini, message: `Gini ${data.popularity.gini.toFixed(3)} over ${count(data.popularity.items)} items with ${count(data.popularity.events)} events` };
    case 'popularity_top1_share':
      return data.popularity === null ? empty('no interactions in the window') : { value: data.popularity.top1Share, message: `the top ${data.popularity.top1Items} item(s) (1 %) have ${percent(data.popularity.top1Share)} of the events` };
    case 'late_events': {
      const events = data.delays.series.reduce((sum, series) => sum + series.events, 0);
      const late = data.delays.series.reduce((sum, series) => sum + series.late, 0);
      if (events === 0) return empty('no events in the window');
      return { value: late / events, message: `${count(late)} of ${count(events)} events ingested more than ${duration(data.delays.lateAfterSeconds * 1_000)} after they happened` };
    }
    case 'future_events': {
      const future = data.delays.future;
      const total = future.reduce((sum, table) => sum + table.count, 0);
      return { value: total, message: `${count(total)} future-dated (${future.map((table) => `${table.table}: ${table.afterIngest} after ingest, ${table.afterNow} after now`).join('; ')}; tolerance ${duration(data.delays.futureToleranceSeconds * 1_000)})` };
    }
    case 'dlq_records': {
      const letters = data.deadLetters;
      if (letters.error !== null) return unreadable(`dead-letter topics not read: ${letters.error}`);
      const top = letters.counts.slice(0, 3).map((letter) => `${letter.processor}/${letter.reason} ${letter.count}`);
      return { value: letters.total, message: `${count(letters.total)} dead letters on ${letters.topics.length} topic(s)${top.length > 0 ? `: ${top.join(', ')}` : ''}${letters.partial ? ' (read timed out: at least this many)' : ''}` };
    }
    case 'cdc_lag_p95': {
      const lag = data.cdcLag;
      if (lag.error !== null) return unreadable(`CDC topics not read: ${lag.error}`);
      if (lag.overall.samples === 0) return empty(`no streamed changes on ${lag.topics.length} CDC topic(s) in the window`);
      return { value: lag.overall.p95Ms / 1_000, message: `p50 ${duration(lag.overall.p50Ms)}, p95 ${duration(lag.overall.p95Ms)}, max ${duration(lag.overall.maxMs)} over ${count(lag.overall.samples)} changes on ${lag.perTopic.length} topic(s)` };
    }
    default:
      return unreadable(`no measurement for ${name}`);
  }
}

function result(definition: CheckDefinition & { readonly name: CheckName }, observation: Observation, policy: CheckPolicy): CheckResult {
  const thresholds = policy.thresholds[definition.name];
  const fallback = observation.value === null && observation.unreadable ? policy.unmeasured : Verdict.Pass;
  const verdict = judge(observation.value, thresholds, definition.direction, fallback);
  const limit = verdict === Verdict.Fail ? thresholds.fail : thresholds.warn ?? thresholds.fail;
  const comparison = definition.direction === 'max' ? '>' : '<';
  const suffix = verdict === Verdict.Pass || limit === undefined || observation.value === null ? '' : ` — ${formatValue(observation.value, definition.unit)} ${comparison} ${verdict} threshold ${formatValue(limit, definition.unit)}`;
  return {
    name: definition.name,
    title: definition.title,
    target: definition.target,
    unit: definition.unit,
    direction: definition.direction,
    value: observation.value,
    warn: thresholds.warn ?? null,
    fail: thresholds.fail ?? null,
    weight: thresholds.weight,
    verdict,
    message: `${observation.message}${suffix}`,
  };
}

/** Every check of the catalogue, in its order, judged against the policy. */
export function evaluateChecks(data: ReportData, policy: CheckPolicy): CheckResult[] {
  return CHECKS.map((definition) => result(definition, observe(definition.name, data), policy));
}
