import type { MetricName } from './metrics.js';
import type { ReadoutPolicy } from './policy.js';

/**
 * report.json: what a readout run found, per experiment. Numbers that cannot be computed (no users,
 * no events in a variant) are null. Times are ISO 8601 UTC; shares are 0–1.
 */
export const REPORT_FORMAT_VERSION = 1;

export const ReadoutStatus = {
  /** The split matches the config: the comparison can be read. */
  Valid: 'valid',
  /** Sample ratio mismatch: do not read the lifts, find what broke the split. */
  Invalid: 'invalid',
  /** Not in the experiments config (ended or renamed): no shares to check the split against. */
  Unchecked: 'unchecked',
  /** Configured, but no exposure in the window. */
  NoData: 'no_data',
} as const;
export type ReadoutStatus = (typeof ReadoutStatus)[keyof typeof ReadoutStatus];

export interface MetricValue {
  readonly value: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly standardError: number | null;
}

export interface VariantSummary {
  readonly variant: string;
  readonly isControl: boolean;
  /** Percent, from the config; null when the variant is not configured. */
  readonly configuredShare: number | null;
  readonly users: number;
  readonly requests: number;
  readonly exposures: number;
  readonly clicks: number;
  readonly downloads: number;
  readonly purchases: number;
  readonly revenue: number;
  readonly degradedRequests: number;
  readonly metrics: Readonly<Record<MetricName, MetricValue>>;
}

export interface LiftSummary {
  readonly variant: string;
  readonly control: string;
  readonly metric: MetricName;
  readonly relative: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly pValue: number | null;
  readonly absolute: number | null;
  readonly absoluteLower: number | null;
  readonly absoluteUpper: number | null;
  readonly significant: boolean;
}

export interface SrmSummary {
  readonly statistic: number | null;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  readonly alpha: number;
  readonly mismatch: boolean;
  readonly unexpectedVariants: readonly string[];
  readonly smallExpectedCounts: boolean;
  readonly variants: readonly { readonly variant: string; readonly users: number; readonly observedShare: number | null; readonly expectedShare: number; readonly expectedUsers: number }[];
}

export interface DegradedSummary {
  readonly variant: string;
  readonly requests: number;
  readonly degradedRequests: number;
  readonly share: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly othersShare: number | null;
  readonly pValue: number | null;
  readonly excess: boolean;
  /** Answers per degradation reason, most frequent first (an answer may carry several). */
  readonly reasons: readonly { readonly reason: string; readonly requests: number }[];
}

export interface CumulativeLiftPoint {
  /** End of the bucket: the lift of everything up to then. */
  readonly atMs: number;
  readonly relative: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

export interface TimelineSummary {
  readonly bucketMs: number;
  /** Bucket starts, epoch ms (UTC). */
  readonly buckets: readonly number[];
  readonly variants: readonly {
    readonly variant: string;
    /** Users with an answer in the bucket. */
    readonly users: readonly number[];
    readonly requests: readonly number[];
    readonly exposures: readonly number[];
    readonly clicks: readonly number[];
    readonly ctr: readonly (number | null)[];
    readonly degradedShare: readonly (number | null)[];
  }[];
  readonly cumulativeLift: readonly { readonly variant: string; readonly metric: MetricName; readonly points: readonly CumulativeLiftPoint[] }[];
}

export interface ExperimentReadout {
  readonly experiment: string;
  readonly status: ReadoutStatus;
  /** Why the status is what it is (one line each). */
  readonly reasons: readonly string[];
  /** What does not invalidate the readout but needs a look (degraded variant, crossovers, few users). */
  readonly warnings: readonly string[];
  readonly control: string | null;
  readonly configured: boolean;
  readonly enabled: boolean | null;
  readonly firstExposure: string | null;
  readonly lastExposure: string | null;
  readonly users: number;
  /** Users exposed in more than one variant (each counted in every variant they saw). */
  readonly crossoverUsers: number;
  readonly variants: readonly VariantSummary[];
  readonly lifts: readonly LiftSummary[];
  readonly srm: SrmSummary | null;
  readonly degraded: readonly DegradedSummary[];
  readonly timeline: TimelineSummary;
}

export interface ExperimentsReport {
  readonly version: number;
  readonly generatedAt: string;
  readonly durationMs: number;
  readonly window: { readonly since: string; readonly until: string };
  readonly configFile: string;
  readonly policy: ReadoutPolicy;
  readonly metrics: readonly { readonly name: MetricName; readonly label: string; readonly unit: string; readonly definition: string }[];
  readonly experiments: readonly ExperimentReadout[];
}

/** JSON has no NaN or ±Infinity. */
export const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);
