import type { Direction } from './catalogue.js';

export const Verdict = { Pass: 'pass', Warn: 'warn', Fail: 'fail' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** Run status as dq_runs spells it. */
export type RunStatus = 'passed' | 'warned' | 'failed';

export interface Thresholds {
  /** Crossing it (strictly) makes the check warn. */
  readonly warn?: number | undefined;
  /** Crossing it (strictly) makes the check fail. */
  readonly fail?: number | undefined;
}

const crosses = (value: number, threshold: number | undefined, direction: Direction): boolean =>
  threshold !== undefined && (direction === 'max' ? value > threshold : value < threshold);

/** The verdict of a measured value; a value that could not be measured (null) gets `unmeasured`. */
export function judge(value: number | null, thresholds: Thresholds, direction: Direction, unmeasured: Verdict = Verdict.Pass): Verdict {
  if (value === null || !Number.isFinite(value)) return unmeasured;
  if (crosses(value, thresholds.fail, direction)) return Verdict.Fail;
  if (crosses(value, thresholds.warn, direction)) return Verdict.Warn;
  return Verdict.Pass;
}

/** 0 pass, 1 warn, 2 fail (dq_check_status). */
export const verdictLevel = (verdict: Verdict): 0 | 1 | 2 => (verdict === Verdict.Fail ? 2 : verdict === Verdict.Warn ? 1 : 0);

export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, verdict) => (verdictLevel(verdict) > verdictLevel(worst) ? verdict : worst), Verdict.Pass);
}

export const runStatus = (verdict: Verdict): RunStatus => (verdict === Verdict.Fail ? 'failed' : verdict === Verdict.Warn ? 'warned' : 'passed');

/** Credit of a verdict in the score: a pass counts fully, a warning half, a failure nothing. */
const CREDIT: Readonly<Record<Verdict, number>> = { pass: 1, warn: 0.5, fail: 0 };

/** The quality score, 0–100: the weighted mean credit of the checks, one decimal; 100 when nothing weighs. */
export function qualityScore(checks: readonly { readonly verdict: Verdict; readonly weight: number }[]): number {
  const total = checks.reduce((sum, check) => sum + check.weight, 0);
  if (total <= 0) return 100;
  const earned = checks.reduce((sum, check) => sum + check.weight * CREDIT[check.verdict], 0);
  return Math.round((1000 * earned) / total) / 10;
}
