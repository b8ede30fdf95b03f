/** Numbers for people (stdout table, HTML): shares as percentages, p-values readable at any size. */

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const count = (value: number): string => (Number.isFinite(value) ? grouped.format(value) : 'n/a');

export const amount = (value: number | null): string => (value !== null && Number.isFinite(value) ? money.format(value) : 'n/a');

/** 0.0412 → "4.12 %"; more digits for small shares. */
export function percent(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return 'n/a';
  const value = share * 100;
  const digits = value !== 0 && Math.abs(value) < 1 ? 3 : 2;
  return `${value.toFixed(digits)} %`;
}

/** A lift: "+12.3 %" / "−4.0 %". */
export function signedPercent(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return 'n/a';
  const value = share * 100;
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} %`;
}

/** p-values: 0.42, 0.0031, 2.5e-10; below 1e-300 "< 1e-300". */
export function formatP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return 'n/a';
  if (p === 0) return '< 1e-300';
  if (p >= 0.001) return p.toPrecision(2).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return p.toExponential(1);
}

/** A value in its metric's unit. */
export const metricText = (value: number | null, unit: 'share' | 'amount'): string => (unit === 'share' ? percent(value) : amount(value));

/** "[lower, upper]" in the metric's unit. */
export const intervalText = (lower: number | null, upper: number | null, unit: 'share' | 'amount'): string => `[${metricText(lower, unit)}, ${metricText(upper, unit)}]`;

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** 10000 → "10 s", 60000 → "1 min", 86400000 → "1 day". */
export function bucketLabel(ms: number): string {
  if (ms % 86_400_000 === 0) return ms === 86_400_000 ? '1 day' : `${ms / 86_400_000} days`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1_000} s`;
}
