import type { ExperimentsReport } from './report.js';

/**
 * The readout as Prometheus gauges (what metrics.prom holds and the loop's /metrics serves); a figure
 * that cannot be computed (NaN: no users, no events) is left out, not exported. Pure data:
 * adapters/metrics-registry.ts turns it into a prom-client registry. Alert rules:
 * monitoring/prometheus/rules/experiments.yml.
 */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly samples: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];
}

const valueOr = (value: number | null): number => value ?? Number.NaN;

export function readoutFamilies(report: ExperimentsReport): MetricFamily[] {
  const experiments = report.experiments.filter((readout) => readout.status !== 'no_data');
  const perExperiment = (pick: (readout: (typeof experiments)[number]) => number) => experiments.map((readout) => ({ labels: { experiment: readout.experiment }, value: pick(readout) }));
  const perVariant = (pick: (variant: (typeof experiments)[number]['variants'][number], readout: (typeof experiments)[number]) => number) =>
    experiments.flatMap((readout) => readout.variants.map((variant) => ({ labels: { experiment: readout.experiment, variant: variant.variant }, value: pick(variant, readout) })));
  const perDegraded = (pick: (entry: (typeof experiments)[number]['degraded'][number]) => number) =>
    experiments.flatMap((readout) => readout.degraded.map((entry) => ({ labels: { experiment: readout.experiment, variant: entry.variant }, value: pick(entry) })));
  const perLift = (pick: (lift: (typeof experiments)[number]['lifts'][number]) => number) =>
    experiments.flatMap((readout) => readout.lifts.map((lift) => ({ labels: { experiment: readout.experiment, variant: lift.variant, metric: lift.metric }, value: pick(lift) })));
  const checked = experiments.filter((readout) => readout.srm !== null);
  const experimentLabel = ['experiment'];
  const variantLabels = ['experiment', 'variant'];
  const liftLabels = ['experiment', 'variant', 'metric'];
  return [
    { name: 'experiment_users', help: 'Users exposed to the variant in the readout window.', labelNames: variantLabels, samples: perVariant((variant) => variant.users) },
    { name: 'experiment_expected_share', help: 'Configured share of the variant (0-1; absent when the variant is not configured).', labelNames: variantLabels, samples: perVariant((variant) => (variant.configuredShare === null ? Number.NaN : variant.configuredShare / 100)) },
    {
      name: 'experiment_srm_p_value',
      help: 'Sample-ratio-mismatch p-value: chi-square goodness of fit of users per variant against the configured shares.',
      labelNames: experimentLabel,
      samples: checked.map((readout) => ({ labels: { experiment: readout.experiment }, value: readout.srm?.pValue ?? Number.NaN })),
    },
    {
      name: 'experiment_srm_detected',
      help: '1 when the split is broken (SRM p-value below the readout alpha, or users in an unconfigured variant): the readout is invalid.',
      labelNames: experimentLabel,
      samples: checked.map((readout) => ({ labels: { experiment: readout.experiment }, value: readout.srm?.mismatch === true ? 1 : 0 })),
    },
    { name: 'experiment_readout_valid', help: '1 when the readout can be read (split checked and healthy), 0 when invalid or unchecked.', labelNames: experimentLabel, samples: perExperiment((readout) => (readout.status === 'valid' ? 1 : 0)) },
    { name: 'experiment_degraded_share', help: 'Share of the variant’s answers that were degraded (0-1).', labelNames: variantLabels, samples: perDegraded((entry) => valueOr(entry.share)) },
    { name: 'experiment_degraded_others_share', help: 'Share of degraded answers in the experiment’s other variants together (0-1).', labelNames: variantLabels, samples: perDegraded((entry) => valueOr(entry.othersShare)) },
    { name: 'experiment_degraded_excess', help: '1 when the variant’s degraded share is far above the other variants’ (by the policy margin and significant).', labelNames: variantLabels, samples: perDegraded((entry) => (entry.excess ? 1 : 0)) },
    { name: 'experiment_metric_value', help: 'Metric of the variant (ctr, conversion: 0-1; revenue_per_user: currency).', labelNames: liftLabels, samples: experiments.flatMap((readout) => readout.variants.flatMap((variant) => Object.entries(variant.metrics).map(([metric, value]) => ({ labels: { experiment: readout.experiment, variant: variant.variant, metric }, value: valueOr(value.value) })))) },
    { name: 'experiment_lift', help: 'Relative lift of the variant over control (0.1 = +10 %).', labelNames: liftLabels, samples: perLift((lift) => valueOr(lift.relative)) },
    { name: 'experiment_lift_lower', help: 'Lower bound of the lift’s confidence interval.', labelNames: liftLabels, samples: perLift((lift) => valueOr(lift.lower)) },
    { name: 'experiment_lift_upper', help: 'Upper bound of the lift’s confidence interval.', labelNames: liftLabels, samples: perLift((lift) => valueOr(lift.upper)) },
    { name: 'experiment_lift_p_value', help: 'Two-sided p-value of the lift.', labelNames: liftLabels, samples: perLift((lift) => valueOr(lift.pValue)) },
    { name: 'experiment_readout_window_seconds', help: 'Length of the window the last readout covered.', labelNames: [], samples: [{ labels: {}, value: (Date.parse(report.window.until) - Date.parse(report.window.since)) / 1_000 }] },
    { name: 'experiment_readout_duration_seconds', help: 'How long the last readout took.', labelNames: [], samples: [{ labels: {}, value: report.durationMs / 1_000 }] },
    { name: 'experiment_readout_last_run_timestamp_seconds', help: 'When the last readout finished (Unix time).', labelNames: [], samples: [{ labels: {}, value: Date.parse(report.generatedAt) / 1_000 }] },
  ];
}

/** The loop's own health: when it last tried and whether that worked (a failure keeps the previous figures). */
export function attemptFamilies(attemptedAtMs: number, succeeded: boolean): MetricFamily[] {
  return [
    { name: 'experiment_readout_last_attempt_timestamp_seconds', help: 'When the loop last started a readout (Unix time).', labelNames: [], samples: [{ labels: {}, value: attemptedAtMs / 1_000 }] },
    { name: 'experiment_readout_last_attempt_success', help: '1 when the last readout attempt succeeded, 0 when it failed.', labelNames: [], samples: [{ labels: {}, value: succeeded ? 1 : 0 }] },
  ];
}
