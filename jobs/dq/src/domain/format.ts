import { Unit } from './catalogue.js';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A check value for people: shares as percentages, hours and seconds with their unit. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case Unit.Share:
      return `${percent(value)}`;
    case Unit.Hours:
      return `${grouped.format(value)} h`;
    case Unit.Seconds:
      return `${grouped.format(Math.round(value * 100) / 100)} s`;
    case Unit.Coefficient:
      return value.toFixed(3);
    default:
      return grouped.format(value);
  }
}

export function percent(share: number): string {
  if (!Number.isFinite(share)) return 'n/a';
  const value = share * 100;
  const digits = value !== 0 && Math.abs(value) < 0.1 ? 3 : value < 10 ? 2 : 1;
  return `${Number(value.toFixed(digits))} %`;
}

export const count = (value: number): string => (Number.isFinite(value) ? grouped.format(value) : 'n/a');

export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const magnitude = Math.abs(ms);
  if (magnitude < 1_000) return `${Math.round(ms)} ms`;
  if (magnitude < 120_000) return `${Number((ms / 1_000).toFixed(1))} s`;
  if (magnitude < 3_600_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}
