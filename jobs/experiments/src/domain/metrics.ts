import type { UserTotals } from './activity.js';
import { meanPerUser, ratioOfMeans, type Estimate } from './statistics/estimates.js';

/**
 * The metrics a readout compares, each estimated over the variant's users (the randomisation unit):
 * CTR is a ratio of per-user sums (delta method), conversion and revenue per user are means per user.
 */
export const MetricName = { Ctr: 'ctr', Conversion: 'conversion', RevenuePerUser: 'revenue_per_user' } as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

export interface MetricDefinition {
  readonly name: MetricName;
  readonly label: string;
  readonly unit: 'share' | 'amount';
  readonly definition: string;
  readonly estimate: (users: readonly UserTotals[]) => Estimate;
}

const column = (users: readonly UserTotals[], pick: (user: UserTotals) => number): Float64Array => Float64Array.from(users, pick);

export const METRICS: readonly MetricDefinition[] = [
  {
    name: MetricName.Ctr,
    label: 'CTR',
    unit: 'share',
    definition: 'clicked items / shown items of the variant’s answers (clicks attributed by request_id), a ratio of per-user sums',
    estimate: (users) => ratioOfMeans(column(users, (user) => user.clicks), column(users, (user) => user.exposures)),
  },
  {
    name: MetricName.Conversion,
    label: 'conversion',
    unit: 'share',
    definition: 'share of exposed users with a purchase at or after their first exposure',
    estimate: (users) => meanPerUser(column(users, (user) => (user.purchases > 0 ? 1 : 0))),
  },
  {
    name: MetricName.RevenuePerUser,
    label: 'revenue per user',
    unit: 'amount',
    definition: 'purchase revenue (price × quantity) at or after the first exposure, per exposed user',
    estimate: (users) => meanPerUser(column(users, (user) => user.revenue)),
  },
];

export const metricDefinition = (name: MetricName): MetricDefinition => METRICS.find((metric) => metric.name === name) ?? (METRICS[0] as MetricDefinition);
