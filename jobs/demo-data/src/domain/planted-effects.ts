import { Rng } from './rng.js';
import type { UserId } from './types.js';

/**
 * Effects planted in simulated traffic so that experiment readouts have a known answer. Keys are
 * variant names as the API returns them (`experiment.variant`), in whichever experiment.
 */
export interface PlantedEffects {
  /** Multiplies the click and download probabilities of answers served in the variant. */
  readonly lift: ReadonlyMap<string, number>;
  /** Share of the variant's users whose client silently sends no event at all (a broken client). */
  readonly drop: ReadonlyMap<string, number>;
}

export const NO_PLANTED_EFFECTS: PlantedEffects = { lift: new Map(), drop: new Map() };

/** What the planted effects do to one answer. */
export interface AnswerEffects {
  readonly lift: number;
  /** The user's client is broken: the reaction happens, no beacon is sent. */
  readonly suppressed: boolean;
}

export const NEUTRAL_EFFECTS: AnswerEffects = { lift: 1, suppressed: false };

/**
 * The effects on an answer served to `userId` in `variant` (null: outside every experiment). Whether a
 * user's client is broken is a pure function of seed, variant and user: the same users every request,
 * every run with that seed, and about `share` of the variant's users.
 */
export function effectsFor(effects: PlantedEffects, seed: number, variant: string | null, userId: UserId): AnswerEffects {
  if (variant === null) return NEUTRAL_EFFECTS;
  const share = effects.drop.get(variant) ?? 0;
  const suppressed = share > 0 && new Rng(`traffic/${seed}/broken-client/${variant}/${userId}`).next() < share;
  return { lift: effects.lift.get(variant) ?? 1, suppressed };
}
