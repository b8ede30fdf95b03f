import { METRICS, metricDefinition } from './metrics.js';
import { amount, bucketLabel, count, formatP, intervalText, metricText, percent, signedPercent } from './format.js';
import type { ExperimentReadout, ExperimentsReport } from './report.js';

/** A fixed-width table: the first column left-aligned, the others right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function experimentLines(readout: ExperimentReadout, confidence: number): string[] {
  const lines = [`experiment ${readout.experiment}: ${readout.status.toUpperCase()} — ${readout.reasons.join('; ')}`];
  if (readout.variants.length === 0) return lines;
  const ctr = metricDefinition('ctr');
  const conversion = metricDefinition('conversion');
  const degradedOf = (variant: string): string => percent(readout.degraded.find((entry) => entry.variant === variant)?.share ?? null);
  lines.push(
    ...textTable(
      ['variant', 'users', 'requests', 'exposures', 'clicks', 'downloads', 'purchases', 'revenue', 'CTR', `CTR ${confidence * 100} % CI`, 'conversion', 'degraded'],
      readout.variants.map((variant) => [
        `${variant.variant}${variant.isControl && variant.variant !== 'control' ? ' (control)' : ''}`,
        count(variant.users),
        count(variant.requests),
        count(variant.exposures),
        count(variant.clicks),
        count(variant.downloads),
        count(variant.purchases),
        amount(variant.revenue),
        metricText(variant.metrics.ctr.value, ctr.unit),
        intervalText(variant.metrics.ctr.lower, variant.metrics.ctr.upper, ctr.unit),
        metricText(variant.metrics.conversion.value, conversion.unit),
        degradedOf(variant.variant),
      ]),
    ).map((line) => `  ${line}`),
  );
  if (readout.lifts.length > 0) {
    lines.push(`  lift vs ${readout.control ?? 'control'} (${confidence * 100} % CI, delta method on the log ratio):`);
    lines.push(
      ...textTable(
        ['variant', 'metric', 'lift', 'interval', 'p', ''],
        readout.lifts.map((lift) => [lift.variant, METRICS.find((metric) => metric.name === lift.metric)?.label ?? lift.metric, signedPercent(lift.relative), `[${signedPercent(lift.lower)}, ${signedPercent(lift.upper)}]`, formatP(lift.pValue), lift.significant ? 'significant' : '']),
      ).map((line) => `    ${line}`),
    );
  }
  if (readout.srm !== null) {
    const shares = readout.srm.variants.map((variant) => `${variant.variant} ${count(variant.users)}/${Math.round(variant.expectedUsers)}`).join(', ');
    lines.push(`  sample ratio: χ² = ${readout.srm.statistic?.toFixed(2) ?? '∞'}, df ${readout.srm.degreesOfFreedom}, p = ${formatP(readout.srm.pValue)} (users observed/expected: ${shares})${readout.srm.mismatch ? ' → MISMATCH' : ''}`);
  }
  for (const warning of readout.warnings) lines.push(`  warning: ${warning}`);
  lines.push(`  timeline: ${readout.timeline.buckets.length} bucket(s) of ${bucketLabel(readout.timeline.bucketMs)}; ${readout.crossoverUsers} crossover user(s)`);
  return lines;
}

/** What stdout gets: the window, every experiment's table, lifts and split check, then the files. */
export function summaryLines(report: ExperimentsReport, files: readonly string[]): string[] {
  const lines = [`experiment readout ${report.window.since} – ${report.window.until} (${report.experiments.length} experiment(s), config ${report.configFile})`];
  if (report.experiments.length === 0) lines.push('no experiment has exposures in the window and none is configured');
  for (const readout of report.experiments) lines.push('', ...experimentLines(readout, report.policy.confidence));
  lines.push('', `files: ${files.join(', ')}`);
  return lines;
}
