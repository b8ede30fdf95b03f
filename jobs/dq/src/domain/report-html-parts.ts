import { verdictBadge, type SafeHtml, type Tone } from '@streamrec/html-report';
import type { CheckName } from './catalogue.js';
import type { CheckResult, DqReport } from './report.js';
import { worstVerdict } from './verdict.js';

/** Checks of a section: its badge is the worst of their verdicts. */
export function sectionBadge(report: DqReport, names: readonly CheckName[]): SafeHtml {
  return verdictBadge(worstVerdict(report.checks.filter((check) => names.includes(check.name)).map((check) => check.verdict)));
}

export const toneOf = (check: CheckResult | undefined): Tone => check?.verdict ?? 'neutral';

export const checkOf = (report: DqReport, name: CheckName): CheckResult | undefined => report.checks.find((check) => check.name === name);

