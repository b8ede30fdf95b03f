import { SERIES_COLOURS, barChart, lineChart, type SafeHtml } from '@streamrec/html-report';
import { bucketLabel, formatP } from './format.js';
import { METRICS, type MetricName } from './metrics.js';
import type { ExperimentReadout } from './report.js';

/** The same colour for a variant in every chart of an experiment: control first. */
export function variantColour(readout: ExperimentReadout, variant: string): string {
  const index = readout.variants.findIndex((entry) => entry.variant === variant);
  return SERIES_COLOURS[index >= 0 ? index % SERIES_COLOURS.length : SERIES_COLOURS.length - 1] ?? '#999999';
}

const nullToNaN = (value: number | null): number => value ?? Number.NaN;

/** The lift of `metric` as it stood at the end of each bucket, a line per variant with its interval shaded. */
export function cumulativeLiftChart(readout: ExperimentReadout, metric: MetricName, confidence: number): SafeHtml | null {
  const lifts = readout.timeline.cumulativeLift.filter((entry) => entry.metric === metric && entry.points.some((point) => point.relative !== null));
  if (lifts.length === 0) return null;
  const label = METRICS.find((definition) => definition.name === metric)?.label ?? metric;
  return lineChart({
    title: `Cumulative lift of ${label} vs ${readout.control ?? 'control'}`,
    x: { kind: 'time' },
    yLabel: `lift of ${label}`,
    yFormat: 'percent',
    series: lifts.map((entry) => ({ name: entry.variant, colour: variantColour(readout, entry.variant), points: entry.points.map((point) => ({ x: point.atMs, y: nullToNaN(point.relative) })) })),
    intervals: lifts.map((entry) => ({
      name: `${entry.variant}: ${confidence * 100} % interval`,
      colour: variantColour(readout, entry.variant),
      points: entry.points.map((point) => ({ x: point.atMs, low: nullToNaN(point.lower), high: nullToNaN(point.upper) })),
    })),
    caption: `Everything up to the end of each ${bucketLabel(readout.timeline.bucketMs)} bucket: the readout as it would have been then. The interval narrows as users arrive; it excludes 0 where the lift is significant. Early swings are noise — decide at the planned end, not when the line first crosses.`,
  });
}

/** One line per variant of a per-bucket series. */
export function perBucketChart(readout: ExperimentReadout, spec: { readonly title: string; readonly yLabel: string; readonly percent: boolean; readonly pick: (variant: ExperimentReadout['timeline']['variants'][number]) => readonly (number | null)[] }): SafeHtml {
  const { buckets } = readout.timeline;
  return lineChart({
    title: spec.title,
    x: { kind: 'time', label: `bucket start (UTC), ${bucketLabel(readout.timeline.bucketMs)} buckets` },
    yLabel: spec.yLabel,
    ...(spec.percent ? { yFormat: 'percent' as const } : {}),
    series: readout.timeline.variants.map((variant) => ({ name: variant.variant, colour: variantColour(readout, variant.variant), points: buckets.map((bucket, index) => ({ x: bucket, y: nullToNaN(spec.pick(variant)[index] ?? null) })) })),
  });
}

/** Users per variant next to what the configured shares predict. */
export function splitChart(readout: ExperimentReadout): SafeHtml | null {
  if (readout.srm === null) return null;
  const tone = readout.srm.mismatch ? ('fail' as const) : ('pass' as const);
  return barChart({
    title: 'Users per variant: observed vs expected from the configured shares',
    orientation: 'horizontal',
    valueLabel: 'users',
    bars: readout.srm.variants.flatMap((variant) => [
      { label: `${variant.variant} observed`, value: variant.users, tone },
      { label: `${variant.variant} expected (${(variant.expectedShare * 100).toFixed(2)} %)`, value: Math.round(variant.expectedUsers), tone: 'muted' as const },
    ]),
    caption: `χ² = ${readout.srm.statistic?.toFixed(2) ?? '∞'}, df ${readout.srm.degreesOfFreedom}, p = ${formatP(readout.srm.pValue)}; the readout is invalid below p = ${readout.srm.alpha}.`,
  });
}

/** Degraded share per variant, a variant far above the others in red. */
export function degradedChart(readout: ExperimentReadout): SafeHtml {
  return barChart({
    title: 'Degraded answers per variant',
    orientation: 'horizontal',
    valueLabel: 'share of answers degraded',
    valueFormat: 'percent',
    bars: readout.degraded.map((entry) => ({ label: entry.variant, value: entry.share ?? Number.NaN, tone: entry.excess ? ('fail' as const) : ('neutral' as const) })),
    caption: 'Answers with a degradation (Redis timeout, ranker unavailable, fallback lists…): a variant that degrades more shows its users other recommendations, so its comparison measures the degradation as well.',
  });
}
