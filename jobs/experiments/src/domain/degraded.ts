import type { UserTotals } from './activity.js';
import type { ReadoutPolicy } from './policy.js';
import { ratioOfMeans } from './statistics/estimates.js';
import { interval } from './statistics/lift.js';
import { twoSidedPValue } from './statistics/normal.js';

export interface DegradedShare {
  readonly variant: string;
  readonly requests: number;
  readonly degradedRequests: number;
  /** Degraded answers / answers of the variant. */
  readonly share: number;
  readonly lower: number;
  readonly upper: number;
  /** The same share over all other variants together. */
  readonly othersShare: number;
  /** Two-sided p-value of share = othersShare (delta method, clustered by user). */
  readonly pValue: number;
  /** Far above the others: by at least policy.degradedExcess and significant at policy.degradedAlpha. */
  readonly excess: boolean;
}

/**
 * The share of degraded answers per variant, each against the rest of the experiment. A variant that
 * degrades more (a slow model, a channel that times out) shows its users fallback lists: the comparison
 * measures the degradation, not the variant's idea.
 */
export function degradedShares(usersByVariant: ReadonlyMap<string, readonly UserTotals[]>, policy: ReadoutPolicy): DegradedShare[] {
  const estimateOf = (users: readonly UserTotals[]) =>
    ratioOfMeans(
      Float64Array.from(users, (user) => user.degradedRequests),
      Float64Array.from(users, (user) => user.requests),
    );
  return [...usersByVariant.entries()].map(([variant, users]) => {
    const others = [...usersByVariant.entries()].filter(([name]) => name !== variant).flatMap(([, list]) => list);
    const mine = estimateOf(users);
    const theirs = estimateOf(others);
    const difference = mine.value - theirs.value;
    const se = Math.sqrt(mine.variance + theirs.variance);
    // With no spread at all (every answer degraded, or none) any difference is certain.
    const pValue = !Number.isFinite(difference) ? Number.NaN : se > 0 ? twoSidedPValue(difference / se) : difference === 0 ? 1 : 0;
    const { lower, upper } = interval(mine, policy.confidence);
    return {
      variant,
      requests: users.reduce((sum, user) => sum + user.requests, 0),
      degradedRequests: users.reduce((sum, user) => sum + user.degradedRequests, 0),
      share: mine.value,
      lower,
      upper,
      othersShare: theirs.value,
      pValue,
      excess: difference >= policy.degradedExcess && pValue < policy.degradedAlpha,
    };
  });
}
