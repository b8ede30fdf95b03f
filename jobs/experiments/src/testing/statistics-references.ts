/**
 * Reference computations for the statistics tests, written independently of the code under test:
 * numerical integration of the normal density, closed forms of the chi-square tail for small degrees of
 * freedom, brute-force jackknife and a seeded bootstrap.
 */

/** Φ(z) = ½ + ∫₀^z φ(t) dt by composite Simpson's rule. */
export function simpsonNormalCdf(z: number, panels = 20_000): number {
  const density = (t: number): number => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  const h = z / panels;
  let sum = density(0) + density(z);
  for (let i = 1; i < panels; i++) sum += density(i * h) * (i % 2 === 1 ? 4 : 2);
  return 0.5 + (sum * h) / 3;
}

/** 1 − Φ(z) for z ≥ 0 as ∫_z^(z+16) φ(t) dt by Simpson's rule (no cancellation far in the tail). */
export function simpsonNormalUpperTail(z: number, panels = 20_000): number {
  const density = (t: number): number => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  const h = 16 / panels;
  let sum = density(z) + density(z + 16);
  for (let i = 1; i < panels; i++) sum += density(z + i * h) * (i % 2 === 1 ? 4 : 2);
  return (sum * h) / 3;
}

/** Upper tail of χ²(df) for df = 1…4 in closed form (via the Simpson normal tail for odd df). */
export function chiSquareTailClosedForm(x: number, df: 1 | 2 | 3 | 4): number {
  const root = Math.sqrt(x);
  const normalTail = 2 * simpsonNormalUpperTail(root);
  switch (df) {
    case 1:
      return normalTail;
    case 2:
      return Math.exp(-x / 2);
    case 3:
      return normalTail + Math.sqrt((2 * x) / Math.PI) * Math.exp(-x / 2);
    case 4:
      return Math.exp(-x / 2) * (1 + x / 2);
  }
}

/** Σ numerators / Σ denominators of the users at `indices`. */
export function pooledRatio(numerators: readonly number[], denominators: readonly number[], indices: readonly number[]): number {
  let x = 0;
  let y = 0;
  for (const index of indices) {
    x += numerators[index] ?? 0;
    y += denominators[index] ?? 0;
  }
  return x / y;
}

/** The jackknife standard error of the pooled ratio: leave each user out once. */
export function jackknifeStandardError(numerators: readonly number[], denominators: readonly number[]): number {
  const n = numerators.length;
  const all = Array.from({ length: n }, (_, index) => index);
  const leaveOneOut = all.map((left) => pooledRatio(numerators, denominators, all.filter((index) => index !== left)));
  const mean = leaveOneOut.reduce((sum, value) => sum + value, 0) / n;
  return Math.sqrt(((n - 1) / n) * leaveOneOut.reduce((sum, value) => sum + (value - mean) ** 2, 0));
}

/** Resamples users with replacement `rounds` times; returns the statistic of each resample. */
export function bootstrap(n: number, rounds: number, random: () => number, statistic: (indices: readonly number[]) => number): number[] {
  const results: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const indices = Array.from({ length: n }, () => Math.floor(random() * n));
    results.push(statistic(indices));
  }
  return results;
}

export function sampleStandardDeviation(values: readonly number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
}

/** The q-quantile of values (sorted copy, nearest rank). */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] ?? Number.NaN;
}

/** A user population for CTR tests: exposures 1–30 per user, each user with a click propensity from a Beta-like mix. */
export function simulatedUsers(random: () => number, users: number, meanCtr: number): { clicks: number[]; exposures: number[] } {
  const clicks: number[] = [];
  const exposures: number[] = [];
  for (let user = 0; user < users; user++) {
    const shown = 1 + Math.floor(random() * 30);
    // heterogeneous users: a third click three times as often as the rest (mean stays meanCtr)
    const propensity = random() < 1 / 3 ? meanCtr * 1.8 : meanCtr * 0.6;
    let clicked = 0;
    for (let item = 0; item < shown; item++) if (random() < propensity) clicked++;
    clicks.push(clicked);
    exposures.push(shown);
  }
  return { clicks, exposures };
}
