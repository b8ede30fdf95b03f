import { ledgerOf, sumTotals, type ActivityRow, type PurchaseRow, type UserTotals } from './activity.js';
import { degradedShares } from './degraded.js';
import { METRICS, type MetricName } from './metrics.js';
import type { ReadoutPolicy } from './policy.js';
import { finiteOrNull, type ExperimentReadout, type LiftSummary, type MetricValue, type SrmSummary, type VariantSummary } from './report.js';
import { readoutVerdict } from './readout-verdict.js';
import { sampleRatioCheck, type ConfiguredSplit } from './srm.js';
import { standardError } from './statistics/estimates.js';
import { interval, relativeLift } from './statistics/lift.js';
import { buildTimeline } from './timeline.js';

export interface ReadoutInput {
  readonly experiment: string;
  /** null: the experiment is not in the config (no shares to check against). */
  readonly split: ConfiguredSplit | null;
  /** --control; else the variant named control, else the first configured, else the first seen. */
  readonly control: string | undefined;
  readonly activity: readonly ActivityRow[];
  readonly purchases: readonly PurchaseRow[];
  /** Answers per variant and degradation reason. */
  readonly degradedReasons: readonly { readonly variant: string; readonly reason: string; readonly requests: number }[];
  readonly bucketMs: number;
  readonly firstExposureMs: number | null;
  readonly lastExposureMs: number | null;
  readonly policy: ReadoutPolicy;
}

/** The control variant: the one asked for, else "control", else the config's first, else the first in name order. */
export function controlVariant(asked: string | undefined, variants: readonly string[], split: ConfiguredSplit | null): string | null {
  if (asked !== undefined) return asked;
  if (variants.includes('control') || split?.variants.some((variant) => variant.name === 'control') === true) return 'control';
  return split?.variants[0]?.name ?? [...variants].sort()[0] ?? null;
}

function metricValues(users: readonly UserTotals[], policy: ReadoutPolicy): Record<MetricName, MetricValue> {
  return Object.fromEntries(
    METRICS.map((metric) => {
      const estimate = metric.estimate(users);
      const bounds = interval(estimate, policy.confidence);
      return [metric.name, { value: finiteOrNull(estimate.value), lower: finiteOrNull(bounds.lower), upper: finiteOrNull(bounds.upper), standardError: finiteOrNull(standardError(estimate)) }];
    }),
  ) as Record<MetricName, MetricValue>;
}

function srmSummary(usersPerVariant: ReadonlyMap<string, number>, split: ConfiguredSplit, alpha: number): SrmSummary {
  const check = sampleRatioCheck(usersPerVariant, split, alpha);
  const total = check.variants.reduce((sum, variant) => sum + variant.users, 0);
  return {
    ...check,
    statistic: finiteOrNull(check.statistic),
    variants: check.variants.map((variant) => ({ ...variant, observedShare: total > 0 ? variant.users / total : null })),
  };
}

/** One experiment's readout from its users' rows. */
export function buildReadout(input: ReadoutInput): ExperimentReadout {
  const ledger = ledgerOf(input.activity, input.purchases);
  const configuredNames = input.split?.variants.map((variant) => variant.name) ?? [];
  const seen = ledger.variants();
  // Configured variants first, in config order (with 0 users when none arrived), then unexpected ones.
  const variants = [...configuredNames, ...seen.filter((variant) => !configuredNames.includes(variant)).sort()];
  const control = controlVariant(input.control, variants, input.split);
  const usersByVariant = new Map(variants.map((variant) => [variant, ledger.usersOf(variant)]));
  const usersPerVariant = new Map(variants.map((variant) => [variant, usersByVariant.get(variant)?.length ?? 0]));
  const totalUsers = new Set(input.activity.map((row) => row.userId)).size;

  const summaries: VariantSummary[] = variants.map((variant) => {
    const users = usersByVariant.get(variant) ?? [];
    const totals = sumTotals(users);
    return {
      variant,
      isControl: variant === control,
      configuredShare: input.split?.variants.find((configured) => configured.name === variant)?.share ?? null,
      users: users.length,
      ...totals,
      metrics: metricValues(users, input.policy),
    };
  });

  const controlUsers = control === null ? [] : (usersByVariant.get(control) ?? []);
  const lifts: LiftSummary[] =
    control === null || controlUsers.length === 0
      ? []
      : variants
          .filter((variant) => variant !== control)
          .flatMap((variant) =>
            METRICS.map((metric) => {
              const lift = relativeLift(metric.estimate(usersByVariant.get(variant) ?? []), metric.estimate(controlUsers), input.policy.confidence);
              return {
                variant,
                control,
                metric: metric.name,
                relative: finiteOrNull(lift.relative),
                lower: finiteOrNull(lift.lower),
                upper: finiteOrNull(lift.upper),
                pValue: finiteOrNull(lift.pValue),
                absolute: finiteOrNull(lift.absolute),
                absoluteLower: finiteOrNull(lift.absoluteLower),
                absoluteUpper: finiteOrNull(lift.absoluteUpper),
                significant: lift.significant,
              };
            }),
          );

  const srm = input.split === null || totalUsers === 0 ? null : srmSummary(usersPerVariant, input.split, input.policy.srmAlpha);
  const degraded = degradedShares(usersByVariant, input.policy).map((share) => ({
    ...share,
    share: finiteOrNull(share.share),
    lower: finiteOrNull(share.lower),
    upper: finiteOrNull(share.upper),
    othersShare: finiteOrNull(share.othersShare),
    pValue: finiteOrNull(share.pValue),
    reasons: input.degradedReasons
      .filter((row) => row.variant === share.variant)
      .sort((a, b) => b.requests - a.requests || a.reason.localeCompare(b.reason))
      .map(({ reason, requests }) => ({ reason, requests })),
  }));
  const crossoverUsers = ledger.crossoverUsers();
  const verdict = readoutVerdict({ experiment: input.experiment, split: input.split, totalUsers, control, usersPerVariant, srm, degraded, crossoverUsers, policy: input.policy });
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    experiment: input.experiment,
    status: verdict.status,
    reasons: verdict.reasons,
    warnings: verdict.warnings,
    control,
    configured: input.split !== null,
    enabled: input.split?.enabled ?? null,
    firstExposure: iso(input.firstExposureMs),
    lastExposure: iso(input.lastExposureMs),
    users: totalUsers,
    crossoverUsers,
    variants: summaries,
    lifts,
    srm,
    degraded,
    timeline: buildTimeline(input.activity, input.purchases, variants, control, input.bucketMs, input.policy),
  };
}
