import type { AppError } from './errors.js';

/** Makes the job's usage error (REC_INVALID_ARGUMENT, ending with where its --help is). */
export type UsageError = (message: string) => AppError;

/** ISO 8601 with a zone (Z or ±hh:mm) or a bare date (UTC midnight) → epoch ms; anything else is a usage error. */
export function parseTimeFlag(value: string, flag: string, usage: UsageError): number {
  const trimmed = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const ms = iso ? Date.parse(trimmed) : date ? Date.parse(`${trimmed}T00:00:00Z`) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0) throw usage(`${flag} must be an ISO 8601 time with a zone (2026-12-04T10:00:00Z) or a date (2026-12-04), got '${value}'`);
  return ms;
}

/** 90s, 30m, 12h, 7d → milliseconds, or undefined when the text is not a duration. */
export function durationMs(value: string): number | undefined {
  const match = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  if (match === null) return undefined;
  return Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

/** A port flag (1–65535, or 0 = any free port when `allowZero`); undefined when not given. */
export function parsePortFlag(value: string | undefined, flag: string, allowZero: boolean, usage: UsageError): number | undefined {
  if (value === undefined) return undefined;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(parsed) || parsed > 65_535 || parsed < (allowZero ? 0 : 1)) throw usage(`${flag} must be a port ${allowZero ? '0' : '1'}–65535, got '${value}'`);
  return parsed;
}
