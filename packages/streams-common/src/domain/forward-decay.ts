import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * Forward decay (Cormode et al., "Forward Decay: A Practical Time Decay Model for Streaming Systems").
 * A decayed sum Σ wᵢ·e^{-λ(now-tᵢ)} equals e^{-λ(now-t₀)} · Σ wᵢ·e^{λ(tᵢ-t₀)}: writers add
 * `w·e^{λ(t-t₀)}` (a commutative increment, no read-modify-write, no wall clock) and readers multiply
 * the stored raw sum by `e^{-λ(now-t₀)}`. Ranking raw scores equals ranking decayed ones (same factor).
 */
export interface ForwardDecay {
  readonly halfLifeMs: number;
  /** t₀, fixed per state version: changing it means rebasing (see the processors' READMEs). */
  readonly epochMs: number;
}

/** 2026-01-01T00:00:00Z: before any event the demo data writes, so raw increments are ≥ their weight. */
export const DEFAULT_DECAY_EPOCH_MS = Date.UTC(2026, 0, 1);

/** e^709.78 overflows a double; stop well before so sums of many increments stay finite. */
export const MAX_DECAY_EXPONENT = 650;

export function decayRatePerMs(halfLifeMs: number): number {
  return Math.LN2 / halfLifeMs;
}

/** e^{λ(t-t₀)}: the weight multiplier of an event at `eventTimeMs`. */
export function forwardDecayFactor(eventTimeMs: number, decay: ForwardDecay): number {
  const exponent = decayRatePerMs(decay.halfLifeMs) * (eventTimeMs - decay.epochMs);
  if (exponent > MAX_DECAY_EXPONENT) {
    // Retriable on purpose: the event is fine, the configuration is not; the stage must stall (and
    // alert on lag) until t₀ is rebased, not dead-letter every event from now on.
    throw new AppError(ErrorCode.ConfigInvalid, `event time ${eventTimeMs} is past the decay horizon ${decayHorizonMs(decay)} of epoch ${decay.epochMs}: rebase t0`, {
      retriable: true,
      details: { eventTimeMs, epochMs: decay.epochMs, halfLifeMs: decay.halfLifeMs },
    });
  }
  return Math.exp(exponent);
}

/** The raw increment a writer adds for an event of weight `weight`. */
export function forwardDecayedIncrement(weight: number, eventTimeMs: number, decay: ForwardDecay): number {
  return weight * forwardDecayFactor(eventTimeMs, decay);
}

/** Read side: the decayed value at `nowMs` of a stored raw sum. */
export function decayedValue(raw: number, nowMs: number, decay: ForwardDecay): number {
  return raw * Math.exp(-decayRatePerMs(decay.halfLifeMs) * (nowMs - decay.epochMs));
}

/** The last event time whose increment stays under MAX_DECAY_EXPONENT; rebase t₀ long before it. */
export function decayHorizonMs(decay: ForwardDecay): number {
  return decay.epochMs + Math.floor(MAX_DECAY_EXPONENT / decayRatePerMs(decay.halfLifeMs));
}

/**
 * The earliest overflow horizon of a process's decays; refuses (config error) when it is closer to
 * `nowMs` than `marginMs`, because the stored scores must then be rebased into a new state version.
 */
export function checkedDecayHorizonMs(decays: readonly ForwardDecay[], nowMs: number, marginMs: number): number {
  const horizon = Math.min(...decays.map(decayHorizonMs));
  if (horizon - nowMs < marginMs) {
    throw new AppError(ErrorCode.ConfigInvalid, `the forward-decay horizon ${new Date(horizon).toISOString()} is too close: rebase t₀ into a new state version`);
  }
  return horizon;
}

/** A raw sum stored against `decay.epochMs`, re-expressed against `newEpochMs` (the rebase job). */
export function rebaseForwardDecayed(raw: number, decay: ForwardDecay, newEpochMs: number): number {
  return raw * Math.exp(-decayRatePerMs(decay.halfLifeMs) * (newEpochMs - decay.epochMs));
}
