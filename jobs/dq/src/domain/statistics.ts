/**
 * The statistics the checks use, on plain arrays (small: one value per catalogue item or per item with
 * events). Conventions, so the tests can compute them by hand: quantiles interpolate linearly between
 * order statistics (numpy's default, "type 7"); the standard deviation is the population one (divide by n).
 */

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : sum(values) / values.length;
}

/** Population standard deviation (divide by n). */
export function standardDeviation(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const centre = mean(values);
  return Math.sqrt(sum(values.map((value) => (value - centre) ** 2)) / values.length);
}

/** The p-quantile (0 ≤ p ≤ 1) of values sorted ascending, interpolating linearly between neighbours. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const below = Math.floor(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (position - below);
}

export const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

export interface IqrFences {
  readonly q1: number;
  readonly q3: number;
  readonly iqr: number;
  readonly lower: number;
  readonly upper: number;
}

/** Tukey's fences: values below Q1 − k·IQR or above Q3 + k·IQR are outliers (k = 1.5). */
export function iqrFences(values: readonly number[], k = 1.5): IqrFences {
  const sorted = ascending(values);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  return { q1, q3, iqr, lower: q1 - k * iqr, upper: q3 + k * iqr };
}

export interface ZFences {
  readonly mean: number;
  readonly sd: number;
  readonly lower: number;
  readonly upper: number;
}

/** Values whose |z| = |x − mean| / sd exceeds `limit` lie outside [lower, upper]; sd = 0 flags nothing. */
export function zFences(values: readonly number[], limit = 3): ZFences {
  const centre = mean(values);
  const sd = standardDeviation(values);
  return { mean: centre, sd, lower: centre - limit * sd, upper: centre + limit * sd };
}

export const zScore = (value: number, fences: ZFences): number => (fences.sd > 0 ? (value - fences.mean) / fences.sd : 0);

/**
 * Gini coefficient of non-negative amounts (0: all equal, → 1: one holds everything):
 * G = Σᵢ (2i − n − 1)·xᵢ / (n·Σx), x sorted ascending, i = 1…n. Undefined (NaN) when there is nothing.
 */
export function gini(amounts: readonly number[]): number {
  const sorted = ascending(amounts);
  const n = sorted.length;
  const total = sum(sorted);
  if (n === 0 || total <= 0) return Number.NaN;
  let weighted = 0;
  sorted.forEach((value, index) => {
    weighted += (2 * (index + 1) - n - 1) * value;
  });
  return weighted / (n * total);
}

/** Share of the total held by the top `fraction` of holders (at least one holder). */
export function topShare(amounts: readonly number[], fraction: number): { share: number; holders: number } {
  const total = sum(amounts);
  if (amounts.length === 0 || total <= 0) return { share: Number.NaN, holders: 0 };
  const holders = Math.max(1, Math.ceil(amounts.length * fraction));
  const top = [...amounts].sort((a, b) => b - a).slice(0, holders);
  return { share: sum(top) / total, holders };
}

/** The Lorenz curve (cumulative share of holders → cumulative share of the total), at most `points` + 1 points. */
export function lorenzCurve(amounts: readonly number[], points = 100): { x: number; y: number }[] {
  const sorted = ascending(amounts);
  const total = sum(sorted);
  if (sorted.length === 0 || total <= 0) return [];
  const curve = [{ x: 0, y: 0 }];
  const step = Math.max(1, Math.floor(sorted.length / points));
  let running = 0;
  sorted.forEach((value, index) => {
    running += value;
    const count = index + 1;
    if (count % step === 0 || count === sorted.length) curve.push({ x: count / sorted.length, y: running / total });
  });
  return curve;
}
