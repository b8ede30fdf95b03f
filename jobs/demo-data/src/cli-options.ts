import type { ParseArgsConfig } from 'node:util';
import { AppError, ErrorCode } from '@streamrec/foundation';

/** Helpers every subcommand's option parsing shares; each problem is a REC_INVALID_ARGUMENT with the usage. */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export const PROGRAM = 'npm run demo:generate --';

export const COMMON_OPTIONS: ParseArgsOptionsConfig = {
  help: { type: 'boolean', short: 'h' },
  seed: { type: 'string' },
  summary: { type: 'string' },
};

export const usage = (message: string, help: string): AppError => new AppError(ErrorCode.InvalidArgument, `${message}\n\n${help}`);

export function positiveNumber(raw: string | undefined, name: string, help: string, integer: boolean): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw usage(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got '${raw}'`, help);
  }
  return value;
}

export function seedOf(raw: string | undefined, help: string): number {
  if (raw === undefined) return 1;
  if (!/^\d{1,15}$/.test(raw)) throw usage(`--seed must be a non-negative integer, got '${raw}'`, help);
  return Number(raw);
}
