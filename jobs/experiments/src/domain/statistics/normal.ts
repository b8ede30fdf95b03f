import { regularizedGammaQ } from './gamma.js';

/** The standard normal distribution: tails through erfc (exact to double precision), quantiles by Acklam + one Halley step. */

/** erfc(x) = Q(½, x²) for x ≥ 0, and 2 − erfc(−x) below. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x >= 0 ? regularizedGammaQ(0.5, x * x) : 2 - regularizedGammaQ(0.5, x * x);
}

/** Φ(z) = P(Z ≤ z). */
export const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

/** P(|Z| ≥ |z|): the two-sided p-value of a z statistic. */
export const twoSidedPValue = (z: number): number => (Number.isFinite(z) ? erfc(Math.abs(z) / Math.SQRT2) : Number.isNaN(z) ? Number.NaN : 0);

// Acklam's rational approximation (relative error 1.15e-9), refined below to full precision.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/** Φ⁻¹(p) for 0 < p < 1 (±∞ at 0 and 1). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const x = acklam(p);
  const error = normalCdf(x) - p;
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** The z of a two-sided interval at this confidence (0.95 → 1.959964). */
export const twoSidedZ = (confidence: number): number => normalQuantile(1 - (1 - confidence) / 2);
