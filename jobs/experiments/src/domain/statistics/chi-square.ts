import { regularizedGammaQ } from './gamma.js';

/** P(X ≥ x) for X ~ χ²(df): Q(df/2, x/2). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return Number.NaN;
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}

export interface GoodnessOfFit {
  /** Σ (observed − expected)² / expected over the categories with an expected share above 0. */
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  /** Expected count per category (total × share), in the input order. */
  readonly expected: readonly number[];
  /** A category observed although its expected share is 0: the fit is impossible (p = 0). */
  readonly unexpectedObservations: boolean;
}

/**
 * Pearson's chi-square goodness-of-fit test of counts against shares (summing to 1). A category with
 * share 0 and no observation takes no part; one with share 0 and observations makes p = 0.
 */
export function chiSquareGoodnessOfFit(observed: readonly number[], shares: readonly number[]): GoodnessOfFit {
  const total = observed.reduce((sum, count) => sum + count, 0);
  const expected = shares.map((share) => total * share);
  let statistic = 0;
  let categories = 0;
  let unexpectedObservations = false;
  observed.forEach((count, index) => {
    const wanted = expected[index] ?? 0;
    if (wanted > 0) {
      statistic += (count - wanted) ** 2 / wanted;
      categories++;
    } else if (count > 0) {
      unexpectedObservations = true;
    }
  });
  const degreesOfFreedom = Math.max(0, categories - 1);
  if (unexpectedObservations) return { statistic: Number.POSITIVE_INFINITY, degreesOfFreedom, pValue: 0, expected, unexpectedObservations };
  const pValue = total === 0 || degreesOfFreedom === 0 ? 1 : chiSquareSurvival(statistic, degreesOfFreedom);
  return { statistic, degreesOfFreedom, pValue, expected, unexpectedObservations };
}
