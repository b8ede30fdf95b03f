import { parse } from 'yaml';
import { z } from 'zod';
import { AppError, ErrorCode, parseConfig } from '@streamrec/foundation';
import { CHECKS, Unit, type CheckName } from './domain/catalogue.js';
import type { Thresholds, Verdict } from './domain/verdict.js';

/**
 * What a run checks and how strictly: config/data-quality.yaml, validated with every violation listed.
 * (Where the stack is comes from the environment, in config.ts.)
 */
const topicPrefix = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a Kafka topic prefix (letters, digits, ".", "_", "-")');

const thresholdsSchema = z.strictObject({
  warn: z.number().finite().optional(),
  fail: z.number().finite().optional(),
  weight: z.number().finite().min(0).max(100),
});

/** A check's thresholds, checked against the check's direction and unit (so each violation names its check). */
function thresholdsFor(check: (typeof CHECKS)[number]) {
  return thresholdsSchema.superRefine((thresholds, context) => {
    if (thresholds.warn === undefined && thresholds.fail === undefined) context.addIssue({ code: 'custom', message: 'needs a warn or a fail threshold' });
    if (thresholds.warn !== undefined && thresholds.fail !== undefined) {
      const ordered = check.direction === 'max' ? thresholds.warn <= thresholds.fail : thresholds.warn >= thresholds.fail;
      if (!ordered) context.addIssue({ code: 'custom', message: `warn (${thresholds.warn}) must be ${check.direction === 'max' ? 'at or below' : 'at or above'} fail (${thresholds.fail}): the value must stay ${check.direction === 'max' ? 'below' : 'above'} them` });
    }
    for (const key of ['warn', 'fail'] as const) {
      const value = thresholds[key];
      if (value === undefined) continue;
      if (value < 0) context.addIssue({ code: 'custom', path: [key], message: 'must be ≥ 0' });
      if ((check.unit === Unit.Share || check.unit === Unit.Coefficient) && value > 1) context.addIssue({ code: 'custom', path: [key], message: `is a ${check.unit} (0–1), got ${value}` });
    }
  });
}

const checksShape = Object.fromEntries(CHECKS.map((check) => [check.name, thresholdsFor(check)])) as Record<CheckName, ReturnType<typeof thresholdsFor>>;

export const settingsSchema = z.strictObject({
  suite: z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/, 'lower-case letters, digits, "_" or "-"'),
  window: z.strictObject({
    default_hours: z.number().int().min(1).max(24 * 31),
    max_days: z.number().int().min(1).max(400),
  }),
  catalogue: z.strictObject({ scope: z.enum(['all', 'window']) }),
  timeliness: z.strictObject({
    late_after_seconds: z.number().int().min(1),
    future_tolerance_seconds: z.number().int().min(0),
  }),
  kafka: z.strictObject({
    dead_letter_prefix: topicPrefix,
    cdc_prefix: topicPrefix,
    max_records_per_partition: z.number().int().min(1).max(100_000),
    read_timeout_seconds: z.number().int().min(1).max(600),
  }),
  unmeasured_verdict: z.enum(['pass', 'warn', 'fail']),
  checks: z.strictObject(checksShape),
});

export type DqSettings = z.infer<typeof settingsSchema>;

/** Parses and validates the YAML text; every violation is listed in one REC_CONFIG_INVALID error. */
export function parseSettings(text: string, source: string): DqSettings {
  let document: unknown;
  try {
    document = parse(text) as unknown;
  } catch (cause) {
    throw new AppError(ErrorCode.ConfigInvalid, `${source} is not valid YAML: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return parseConfig(settingsSchema, document, source);
}

export const thresholdsOf = (settings: DqSettings, name: CheckName): Thresholds & { readonly weight: number } => settings.checks[name];

export const unmeasuredVerdict = (settings: DqSettings): Verdict => settings.unmeasured_verdict;
