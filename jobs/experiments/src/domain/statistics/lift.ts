import { standardError, type Estimate } from './estimates.js';
import { twoSidedPValue, twoSidedZ } from './normal.js';

/**
 * The relative lift of a variant over control, T / C − 1, with its interval by the delta method on the
 * log of the ratio: Var(ln T − ln C) ≈ Var(T)/T² + Var(C)/C² (the groups are independent: a user is in
 * one variant), the interval ln(T/C) ± z·SE mapped back through exp. It is asymmetric, never below
 * −100 %, and covers better than the symmetric delta interval on T/C when the ratio is skewed (small
 * samples, rare events); Fieller's interval agrees with it to first order. Undefined when either
 * estimate is 0 (no events in a variant): the point lift is still reported, the interval is not.
 */
export interface Lift {
  /** T / C − 1. */
  readonly relative: number;
  readonly lower: number;
  readonly upper: number;
  /** Two-sided p-value of ln(T/C) = 0. */
  readonly pValue: number;
  /** T − C with its symmetric interval (√(Var T + Var C)). */
  readonly absolute: number;
  readonly absoluteLower: number;
  readonly absoluteUpper: number;
  /** The interval excludes 0 (at the confidence the readout uses). */
  readonly significant: boolean;
}

export function relativeLift(treatment: Estimate, control: Estimate, confidence: number): Lift {
  const z = twoSidedZ(confidence);
  const absolute = treatment.value - control.value;
  const absoluteSe = Math.sqrt(treatment.variance + control.variance);
  const relative = control.value === 0 ? Number.NaN : treatment.value / control.value - 1;
  const base = { relative, absolute, absoluteLower: absolute - z * absoluteSe, absoluteUpper: absolute + z * absoluteSe };
  if (!(treatment.value > 0) || !(control.value > 0) || !Number.isFinite(absoluteSe)) {
    return { ...base, lower: Number.NaN, upper: Number.NaN, pValue: Number.NaN, significant: false };
  }
  const logRatio = Math.log(treatment.value / control.value);
  const logSe = Math.sqrt((standardError(treatment) / treatment.value) ** 2 + (standardError(control) / control.value) ** 2);
  if (!(logSe > 0)) return { ...base, lower: relative, upper: relative, pValue: logRatio === 0 ? 1 : 0, significant: logRatio !== 0 };
  const lower = Math.exp(logRatio - z * logSe) - 1;
  const upper = Math.exp(logRatio + z * logSe) - 1;
  return { ...base, lower, upper, pValue: twoSidedPValue(logRatio / logSe), significant: lower > 0 || upper < 0 };
}

/** The interval of one estimate: value ± z·SE. */
export function interval(estimate: Estimate, confidence: number): { readonly lower: number; readonly upper: number } {
  const half = twoSidedZ(confidence) * standardError(estimate);
  return { lower: estimate.value - half, upper: estimate.value + half };
}
