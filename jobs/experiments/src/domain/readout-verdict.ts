import { formatP, percent } from './format.js';
import type { ReadoutPolicy } from './policy.js';
import { ReadoutStatus, type DegradedSummary, type SrmSummary } from './report.js';
import type { ConfiguredSplit } from './srm.js';

export interface VerdictInput {
  readonly experiment: string;
  readonly split: ConfiguredSplit | null;
  readonly totalUsers: number;
  readonly control: string | null;
  readonly usersPerVariant: ReadonlyMap<string, number>;
  readonly srm: SrmSummary | null;
  readonly degraded: readonly DegradedSummary[];
  readonly crossoverUsers: number;
  readonly policy: ReadoutPolicy;
}

export interface Verdict {
  readonly status: ReadoutStatus;
  readonly reasons: string[];
  readonly warnings: string[];
}

/**
 * Whether the readout can be read. Only a broken split invalidates it (every comparison is then
 * biased by whatever removed or added users); a variant that degrades more, users in two variants or a
 * missing control are warnings the report shows next to the lifts.
 */
export function readoutVerdict(input: VerdictInput): Verdict {
  const reasons: string[] = [];
  const warnings: string[] = [];
  const split = (srm: SrmSummary): string => srm.variants.map((variant) => `${variant.variant} ${variant.users} (expected ${Math.round(variant.expectedUsers)})`).join(', ');
  let status: ReadoutStatus;
  if (input.totalUsers === 0) {
    status = ReadoutStatus.NoData;
    reasons.push('no exposure of this experiment in the window');
  } else if (input.split === null || input.srm === null) {
    status = ReadoutStatus.Unchecked;
    reasons.push(`${input.experiment} is not in the experiments config: no configured shares to check the split against`);
  } else if (input.srm.mismatch) {
    status = ReadoutStatus.Invalid;
    if (input.srm.unexpectedVariants.length > 0) reasons.push(`users in variants the config does not have: ${input.srm.unexpectedVariants.join(', ')}`);
    if (input.srm.pValue < input.srm.alpha) reasons.push(`sample ratio mismatch: χ² = ${input.srm.statistic?.toFixed(2) ?? '∞'}, df ${input.srm.degreesOfFreedom}, p = ${formatP(input.srm.pValue)} < ${input.srm.alpha} — users ${split(input.srm)}`);
  } else {
    status = ReadoutStatus.Valid;
    reasons.push(`the split matches the config: χ² = ${input.srm.statistic?.toFixed(2) ?? '–'}, df ${input.srm.degreesOfFreedom}, p = ${formatP(input.srm.pValue)} ≥ ${input.srm.alpha}`);
  }
  if (input.srm?.smallExpectedCounts === true) warnings.push('fewer than 5 users expected in a variant: the sample-ratio test is approximate');
  for (const share of input.degraded.filter((entry) => entry.excess)) {
    const top = share.reasons.slice(0, 3).map((entry) => `${entry.reason} ${entry.requests}`).join(', ');
    warnings.push(`${share.variant} degrades ${percent(share.share)} of its answers against ${percent(share.othersShare)} in the other variants (p = ${formatP(share.pValue)}${top === '' ? '' : `; ${top}`}): the comparison measures the degradation too`);
  }
  if (input.crossoverUsers > 0) warnings.push(`${input.crossoverUsers} user(s) saw more than one variant (the config changed during the window?); each counts in every variant seen`);
  if (input.totalUsers > 0 && (input.control === null || (input.usersPerVariant.get(input.control) ?? 0) === 0)) warnings.push(`no users in the control variant ${input.control ?? ''}: no lift computed`.trim());
  return { status, reasons, warnings };
}
