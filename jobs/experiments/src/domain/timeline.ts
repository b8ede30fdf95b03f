import { UserLedger, sumTotals, type ActivityRow, type PurchaseRow } from './activity.js';
import { METRICS } from './metrics.js';
import type { ReadoutPolicy } from './policy.js';
import { finiteOrNull, type CumulativeLiftPoint, type TimelineSummary } from './report.js';
import { relativeLift } from './statistics/lift.js';

const groupByBucket = <Row extends { readonly bucketMs: number }>(rows: readonly Row[]): Map<number, Row[]> => {
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.bucketMs);
    if (group === undefined) groups.set(row.bucketMs, [row]);
    else group.push(row);
  }
  return groups;
};

/**
 * The experiment over time: per bucket and variant what happened in that bucket (users, answers,
 * exposures, clicks, CTR, degraded share), and the cumulative lift of every metric — the readout as
 * it would have been at the end of each bucket, interval included. A lift that swings early and
 * settles is the normal picture; one that keeps drifting suggests novelty or a changing population.
 */
export function buildTimeline(
  activity: readonly ActivityRow[],
  purchases: readonly PurchaseRow[],
  variants: readonly string[],
  control: string | null,
  bucketMs: number,
  policy: ReadoutPolicy,
): TimelineSummary {
  const activityByBucket = groupByBucket(activity);
  const purchasesByBucket = groupByBucket(purchases);
  const buckets = [...new Set([...activityByBucket.keys(), ...purchasesByBucket.keys()])].sort((a, b) => a - b);
  const first = buckets[0];
  const last = buckets.at(-1);
  // Every bucket between the first and the last, so quiet buckets show as zero rather than vanish.
  const dense = first === undefined || last === undefined ? [] : Array.from({ length: Math.round((last - first) / bucketMs) + 1 }, (_, index) => first + index * bucketMs);

  const ledger = new UserLedger();
  const treatments = variants.filter((variant) => variant !== control);
  const cumulative = new Map(treatments.flatMap((variant) => METRICS.map((metric) => [`${variant}\u0000${metric.name}`, [] as CumulativeLiftPoint[]] as const)));
  const perVariant = new Map(variants.map((variant) => [variant, { users: [] as number[], requests: [] as number[], exposures: [] as number[], clicks: [] as number[], ctr: [] as (number | null)[], degradedShare: [] as (number | null)[] }]));

  for (const bucket of dense) {
    const rows = activityByBucket.get(bucket) ?? [];
    for (const row of rows) ledger.addActivity(row);
    for (const row of purchasesByBucket.get(bucket) ?? []) ledger.addPurchases(row);
    for (const variant of variants) {
      const series = perVariant.get(variant);
      if (series === undefined) continue;
      const mine = rows.filter((row) => row.variant === variant);
      const sum = (pick: (row: ActivityRow) => number): number => mine.reduce((total, row) => total + pick(row), 0);
      const exposures = sum((row) => row.exposures);
      const requests = sum((row) => row.requests);
      series.users.push(new Set(mine.map((row) => row.userId)).size);
      series.requests.push(requests);
      series.exposures.push(exposures);
      series.clicks.push(sum((row) => row.clicks));
      series.ctr.push(exposures > 0 ? sum((row) => row.clicks) / exposures : null);
      series.degradedShare.push(requests > 0 ? sum((row) => row.degradedRequests) / requests : null);
    }
    if (control === null) continue;
    const controlUsers = ledger.usersOf(control);
    for (const variant of treatments) {
      const users = ledger.usersOf(variant);
      for (const metric of METRICS) {
        const points = cumulative.get(`${variant}\u0000${metric.name}`);
        if (points === undefined) continue;
        const atMs = bucket + bucketMs;
        if (users.length < 2 || controlUsers.length < 2 || sumTotals(users).requests === 0) {
          points.push({ atMs, relative: null, lower: null, upper: null });
          continue;
        }
        const lift = relativeLift(metric.estimate(users), metric.estimate(controlUsers), policy.confidence);
        points.push({ atMs, relative: finiteOrNull(lift.relative), lower: finiteOrNull(lift.lower), upper: finiteOrNull(lift.upper) });
      }
    }
  }
  return {
    bucketMs,
    buckets: dense,
    variants: variants.map((variant) => ({ variant, ...(perVariant.get(variant) ?? { users: [], requests: [], exposures: [], clicks: [], ctr: [], degradedShare: [] }) })),
    cumulativeLift: treatments.flatMap((variant) => METRICS.map((metric) => ({ variant, metric: metric.name, points: cumulative.get(`${variant}\u0000${metric.name}`) ?? [] }))),
  };
}
