import { renderPage, table, verdictBadge, type SafeHtml, type Section } from '@streamrec/html-report';
import { amount, bucketLabel, count, formatP, intervalText, metricText, percent, signedPercent } from './format.js';
import { METRICS, MetricName } from './metrics.js';
import type { ExperimentReadout, ExperimentsReport } from './report.js';
import { cumulativeLiftChart, degradedChart, perBucketChart, splitChart } from './report-html-charts.js';

function statusBadge(readout: ExperimentReadout): SafeHtml {
  switch (readout.status) {
    case 'valid':
      return verdictBadge(readout.warnings.length > 0 ? 'warn' : 'pass', 'VALID');
    case 'invalid':
      return verdictBadge('fail', 'INVALID');
    case 'unchecked':
      return verdictBadge('warn', 'UNCHECKED');
    default:
      return verdictBadge('warn', 'NO DATA');
  }
}

const variantName = (variant: ExperimentReadout['variants'][number]): string => `${variant.variant}${variant.isControl && variant.variant !== 'control' ? ' (control)' : ''}`;

function variantsSection(readout: ExperimentReadout, confidence: number): Section {
  const degradedOf = (variant: string): string => percent(readout.degraded.find((entry) => entry.variant === variant)?.share ?? null);
  return {
    title: readout.experiment,
    badge: statusBadge(readout),
    intro: [...readout.reasons, ...readout.warnings.map((warning) => `Warning: ${warning}`)].join(' '),
    body: [
      // Counts and estimates in two tables: together they are wider than a laptop screen.
      table({
        columns: [{ label: 'variant' }, { label: 'share' }, ...['users', 'requests', 'exposures', 'clicks', 'downloads', 'purchases', 'revenue', 'degraded'].map((label) => ({ label, numeric: true }))],
        rows: readout.variants.map((variant) => [
          variantName(variant),
          variant.configuredShare === null ? 'not configured' : `${variant.configuredShare} %`,
          count(variant.users),
          count(variant.requests),
          count(variant.exposures),
          count(variant.clicks),
          count(variant.downloads),
          count(variant.purchases),
          amount(variant.revenue),
          degradedOf(variant.variant),
        ]),
        empty: 'no exposures in the window',
      }),
      ...(readout.variants.length === 0
        ? []
        : [
            table({
              columns: [{ label: 'variant' }, ...METRICS.map((metric) => ({ label: `${metric.label} [${confidence * 100} % CI]`, numeric: true }))],
              rows: readout.variants.map((variant) => [
                variantName(variant),
                ...METRICS.map((metric) => {
                  const value = variant.metrics[metric.name];
                  return `${metricText(value.value, metric.unit)} ${intervalText(value.lower, value.upper, metric.unit)}`;
                }),
              ]),
            }),
          ]),
    ],
  };
}

function liftSection(readout: ExperimentReadout, confidence: number): Section {
  const charts = [MetricName.Ctr, MetricName.Conversion].map((metric) => cumulativeLiftChart(readout, metric, confidence)).filter((chart): chart is SafeHtml => chart !== null);
  return {
    title: `${readout.experiment}: lift vs ${readout.control ?? 'control'}`,
    badge: readout.status === 'invalid' ? verdictBadge('fail', 'DO NOT READ') : undefined,
    intro: `Relative lift T / C − 1 with its ${confidence * 100} % interval (delta method on ln(T/C), users as the unit). Significant = the interval excludes 0.${readout.status === 'invalid' ? ' The split is broken: these numbers are biased by whatever broke it.' : ''}`,
    body: [
      table({
        columns: [{ label: 'variant' }, { label: 'metric' }, { label: 'lift', numeric: true }, { label: 'interval', numeric: true }, { label: 'difference', numeric: true }, { label: 'p', numeric: true }, { label: '' }],
        rows: readout.lifts.map((lift) => {
          const metric = METRICS.find((definition) => definition.name === lift.metric);
          const unit = metric?.unit ?? 'share';
          return [lift.variant, metric?.label ?? lift.metric, signedPercent(lift.relative), `[${signedPercent(lift.lower)}, ${signedPercent(lift.upper)}]`, `${metricText(lift.absolute, unit)} ${intervalText(lift.absoluteLower, lift.absoluteUpper, unit)}`, formatP(lift.pValue), lift.significant ? verdictBadge('pass', 'SIGNIFICANT') : ''];
        }),
        empty: 'no lift: the control variant has no users',
      }),
      ...charts,
    ],
  };
}

function healthSection(readout: ExperimentReadout): Section {
  const split = splitChart(readout);
  return {
    title: `${readout.experiment}: split and degradation`,
    badge: readout.srm === null ? undefined : verdictBadge(readout.srm.mismatch ? 'fail' : 'pass', readout.srm.mismatch ? 'SRM' : 'SPLIT OK'),
    intro: 'Sample ratio mismatch: users per variant against the configured shares (chi-square goodness of fit). A mismatch means users were lost, duplicated or moved in some variant; find the cause before reading any lift (docs/experiments.md).',
    body: [
      ...(split === null ? [] : [split]),
      degradedChart(readout),
      table({
        columns: [{ label: 'variant' }, { label: 'answers', numeric: true }, { label: 'degraded', numeric: true }, { label: 'share [CI]', numeric: true }, { label: 'other variants', numeric: true }, { label: 'p', numeric: true }, { label: 'reasons (answers)' }, { label: '' }],
        rows: readout.degraded.map((entry) => [
          entry.variant,
          count(entry.requests),
          count(entry.degradedRequests),
          `${percent(entry.share)} [${percent(entry.lower)}, ${percent(entry.upper)}]`,
          percent(entry.othersShare),
          formatP(entry.pValue),
          entry.reasons.map((reason) => `${reason.reason} ${count(reason.requests)}`).join(', '),
          entry.excess ? verdictBadge('fail', 'FAR ABOVE') : '',
        ]),
      }),
    ],
  };
}

function timelineSection(readout: ExperimentReadout): Section {
  return {
    title: `${readout.experiment}: per ${bucketLabel(readout.timeline.bucketMs)}`,
    intro: 'What happened in each bucket (not cumulative). Bucket size is chosen from the experiment’s span: 10 s up to 1 day.',
    body: [
      perBucketChart(readout, { title: 'CTR per bucket', yLabel: 'CTR', percent: true, pick: (variant) => variant.ctr }),
      perBucketChart(readout, { title: 'Shown items per bucket', yLabel: 'exposures', percent: false, pick: (variant) => variant.exposures }),
      perBucketChart(readout, { title: 'Users with an answer per bucket', yLabel: 'users', percent: false, pick: (variant) => variant.users }),
    ],
  };
}

/** report.html: cards, then per experiment its variants, lifts, split check and timeline. */
export function reportHtml(report: ExperimentsReport): string {
  const confidence = report.policy.confidence;
  const invalid = report.experiments.filter((readout) => readout.status === 'invalid').length;
  return renderPage({
    title: 'Experiment readout',
    subtitle: `${report.window.since} – ${report.window.until} (UTC), generated ${report.generatedAt}`,
    cards: [
      { label: 'experiments', value: String(report.experiments.length) },
      { label: 'invalid (SRM)', value: invalid === 0 ? verdictBadge('pass', '0') : verdictBadge('fail', String(invalid)) },
      { label: 'users', value: count(report.experiments.reduce((sum, readout) => sum + readout.users, 0)) },
    ],
    sections: report.experiments.flatMap((readout) => (readout.status === 'no_data' ? [variantsSection(readout, confidence)] : [variantsSection(readout, confidence), liftSection(readout, confidence), healthSection(readout), timelineSection(readout)])),
    notes: [
      ...report.metrics.map((metric) => `${metric.label}: ${metric.definition}.`),
      `Intervals: ${confidence * 100} %, delta method with the user as the unit (the API randomises users, so a user's requests and clicks are not independent); lift by the delta method on ln(T/C).`,
      `Sample ratio mismatch: chi-square goodness of fit of users per variant against config/experiments.yaml (${report.configFile}); p < ${report.policy.srmAlpha} marks the readout invalid.`,
      `Degraded share far above the others: at least ${report.policy.degradedExcess * 100} points above the other variants together and p < ${report.policy.degradedAlpha}.`,
      'All times are UTC. docs/experiments.md explains every figure and what to do about a mismatch.',
    ],
    footer: `Generated by npm run experiments (jobs/experiments), report format version ${report.version}.`,
  });
}
