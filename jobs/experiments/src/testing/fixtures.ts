import type { ActivityRow, PurchaseRow } from '../domain/activity.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import type { ReadoutInput } from '../domain/readout.js';
import type { ConfiguredSplit } from '../domain/srm.js';

export const T0 = Date.UTC(2026, 11, 1);
export const HOUR = 3_600_000;

export const HALF_HALF: ConfiguredSplit = { id: 'exp', enabled: true, variants: [{ name: 'control', share: 50 }, { name: 'treatment', share: 50 }] };

export function activity(userId: string, variant: string, overrides: Partial<ActivityRow> = {}): ActivityRow {
  return { userId, variant, bucketMs: T0, requests: 1, exposures: 10, degradedRequests: 0, clicks: 1, downloads: 0, ...overrides };
}

export const purchase = (userId: string, revenue: number, bucketMs = T0): PurchaseRow => ({ userId, bucketMs, purchases: 1, revenue });

/**
 * `users` users per variant, each with 2 answers of 10 items in two hourly buckets; user i of a variant
 * clicks (i mod 3) + clicksBonus items per bucket.
 */
export function population(usersPerVariant: Readonly<Record<string, number>>, clicksBonus: Readonly<Record<string, number>> = {}): ActivityRow[] {
  return Object.entries(usersPerVariant).flatMap(([variant, users]) =>
    Array.from({ length: users }, (_, index) =>
      [0, 1].map((hour) => activity(`${variant}-${index}`, variant, { bucketMs: T0 + hour * HOUR, clicks: (index % 3) + (clicksBonus[variant] ?? 0) })),
    ).flat(),
  );
}

export function readoutInput(overrides: Partial<ReadoutInput> = {}): ReadoutInput {
  return { experiment: 'exp', split: HALF_HALF, control: undefined, activity: population({ control: 100, treatment: 100 }), purchases: [], degradedReasons: [], bucketMs: HOUR, firstExposureMs: T0, lastExposureMs: T0 + HOUR, policy: DEFAULT_POLICY, ...overrides };
}
