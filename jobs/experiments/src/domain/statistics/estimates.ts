/**
 * Per-variant estimates with their sampling variance, the user being the unit of analysis (the API
 * buckets users, not requests, so a user's requests and clicks are not independent draws).
 *
 * A mean per user (conversion, revenue per user) has the usual variance s² / n. A ratio of sums over
 * users (CTR = Σ clicks / Σ exposures) is a ratio of two means, R = x̄ / ȳ; its variance by the delta
 * method (first-order Taylor expansion of x̄ / ȳ around the population means) is
 *
 *   Var(R) ≈ (s_xx − 2 R s_xy + R² s_yy) / (n ȳ²)
 *
 * with the sample (co)variances (divisor n − 1) of the per-user numerators x and denominators y. It is
 * what a cluster-robust variance of the per-request or per-item rate gives, and it is larger than the
 * binomial p(1 − p)/N whenever a user's exposures are correlated.
 */
export interface Estimate {
  readonly value: number;
  readonly variance: number;
  /** Users behind the estimate. */
  readonly n: number;
}

export const standardError = (estimate: Estimate): number => Math.sqrt(estimate.variance);

/** x̄ / ȳ over users, with the delta-method variance; NaN when Σ y = 0 or fewer than 2 users. */
export function ratioOfMeans(numerators: ArrayLike<number>, denominators: ArrayLike<number>): Estimate {
  const n = Math.min(numerators.length, denominators.length);
  if (n === 0) return { value: Number.NaN, variance: Number.NaN, n };
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += numerators[i] ?? 0;
    sumY += denominators[i] ?? 0;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  if (meanY === 0) return { value: Number.NaN, variance: Number.NaN, n };
  const ratio = meanX / meanY;
  if (n < 2) return { value: ratio, variance: Number.NaN, n };
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (numerators[i] ?? 0) - meanX;
    const dy = (denominators[i] ?? 0) - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const scale = n - 1;
  const variance = Math.max(0, (sxx / scale - 2 * ratio * (sxy / scale) + ratio * ratio * (syy / scale)) / (n * meanY * meanY));
  return { value: ratio, variance, n };
}

/** The mean over users with variance s² / n (s² with divisor n − 1); a share when the values are 0/1. */
export function meanPerUser(values: ArrayLike<number>): Estimate {
  const n = values.length;
  if (n === 0) return { value: Number.NaN, variance: Number.NaN, n };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] ?? 0;
  const mean = sum / n;
  if (n < 2) return { value: mean, variance: Number.NaN, n };
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] ?? 0) - mean) ** 2;
  return { value: mean, variance: squares / (n - 1) / n, n };
}
