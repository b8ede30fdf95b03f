import { chiSquareGoodnessOfFit } from './statistics/chi-square.js';

/** The split an experiment is configured with (config/experiments.yaml): variant names and shares in percent. */
export interface ConfiguredSplit {
  readonly id: string;
  readonly enabled: boolean;
  readonly variants: readonly { readonly name: string; readonly share: number }[];
}

export interface SampleRatioCheck {
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  readonly alpha: number;
  /** p < alpha, or users in a variant the config does not have. */
  readonly mismatch: boolean;
  readonly unexpectedVariants: readonly string[];
  /** An expected count below 5: the chi-square approximation is rough. */
  readonly smallExpectedCounts: boolean;
  readonly variants: readonly { readonly variant: string; readonly users: number; readonly expectedShare: number; readonly expectedUsers: number }[];
}

/**
 * Sample ratio mismatch: are the users per variant what the configured shares predict? Users are the
 * unit the API randomises (murmur2 of salt and user id), so with a healthy split their counts follow a
 * multinomial with the configured shares; a chi-square goodness-of-fit p below alpha says something
 * drops, duplicates or moves users of some variant (logging loss, a broken client, a redirect, a
 * config change mid-experiment), and no comparison between the variants can be trusted.
 */
export function sampleRatioCheck(usersPerVariant: ReadonlyMap<string, number>, split: ConfiguredSplit, alpha: number): SampleRatioCheck {
  const configured = split.variants.map((variant) => variant.name);
  const unexpectedVariants = [...usersPerVariant.keys()].filter((variant) => !configured.includes(variant)).sort();
  const names = [...configured, ...unexpectedVariants];
  const observed = names.map((name) => usersPerVariant.get(name) ?? 0);
  const shares = names.map((name) => (split.variants.find((variant) => variant.name === name)?.share ?? 0) / 100);
  const fit = chiSquareGoodnessOfFit(observed, shares);
  return {
    statistic: fit.statistic,
    degreesOfFreedom: fit.degreesOfFreedom,
    pValue: fit.pValue,
    alpha,
    mismatch: fit.pValue < alpha || fit.unexpectedObservations,
    unexpectedVariants,
    smallExpectedCounts: fit.expected.some((expected) => expected > 0 && expected < 5),
    variants: names.map((variant, index) => ({ variant, users: observed[index] ?? 0, expectedShare: shares[index] ?? 0, expectedUsers: fit.expected[index] ?? 0 })),
  };
}
