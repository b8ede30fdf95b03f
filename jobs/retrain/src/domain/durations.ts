import { AppError, ErrorCode } from '@streamrec/foundation';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** '6h', '24h', '30d', '90m', '1.5h', '500ms' → milliseconds (an integer ≥ 1); anything else is a usage error naming the option. */
export function parseDuration(text: string, option: string): number {
  const match = DURATION.exec(text.trim());
  const amount = match?.[1];
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (amount === undefined || unit === undefined) {
    throw new AppError(ErrorCode.InvalidArgument, `${option} must be a duration like 30m, 6h or 7d, got '${text}'`);
  }
  const ms = Math.round(Number(amount) * UNIT_MS[unit]);
  if (!Number.isSafeInteger(ms) || ms < 1) throw new AppError(ErrorCode.InvalidArgument, `${option} must be a positive duration, got '${text}'`);
  return ms;
}

/** 86400000 → '24h', 5400000 → '90m': the shortest exact spelling, for logs and lineage. */
export function formatDurationMs(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
