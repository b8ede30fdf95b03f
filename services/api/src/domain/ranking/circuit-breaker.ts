import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * Circuit breaker around the ranker: after `failureThreshold` consecutive failures (or at once when there
 * is no model to run) it opens and the API serves recall order without calling the ranker; after
 * `cooldownMs` one probe call is let through (half-open): success closes it, failure opens it again.
 */

export const BreakerState = {
  Closed: 'closed',
  Open: 'open',
  HalfOpen: 'half_open',
} as const;
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState];

export const BreakerEvent = {
  Success: 'success',
  /** A failure that has not reached the threshold yet. */
  Failure: 'failure',
  /** The threshold was reached, or there is no model: open now. */
  Trip: 'trip',
  CooldownElapsed: 'cooldown_elapsed',
} as const;
export type BreakerEvent = (typeof BreakerEvent)[keyof typeof BreakerEvent];

/** Every allowed transition; an event missing for a state leaves the state as it is. */
export const BREAKER_TRANSITIONS: Readonly<Record<BreakerState, Readonly<Partial<Record<BreakerEvent, BreakerState>>>>> = {
  [BreakerState.Closed]: { [BreakerEvent.Trip]: BreakerState.Open },
  [BreakerState.Open]: { [BreakerEvent.CooldownElapsed]: BreakerState.HalfOpen },
  [BreakerState.HalfOpen]: {
    [BreakerEvent.Success]: BreakerState.Closed,
    [BreakerEvent.Failure]: BreakerState.Open,
    [BreakerEvent.Trip]: BreakerState.Open,
  },
};

export function nextBreakerState(state: BreakerState, event: BreakerEvent): BreakerState {
  return BREAKER_TRANSITIONS[state][event] ?? state;
}

export interface CircuitBreakerOptions {
  /** Consecutive failures that open a closed breaker (≥ 1). */
  readonly failureThreshold: number;
  /** How long an open breaker refuses calls before letting one probe through. */
  readonly cooldownMs: number;
  /** Epoch milliseconds; injected so tests control time. */
  readonly now: () => number;
  readonly onStateChange?: (from: BreakerState, to: BreakerState, event: BreakerEvent) => void;
}

export class CircuitBreaker {
  private current: BreakerState = BreakerState.Closed;
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new AppError(ErrorCode.ConfigInvalid, `circuit breaker failureThreshold must be an integer ≥ 1, got ${options.failureThreshold}`);
    }
    if (!Number.isFinite(options.cooldownMs) || options.cooldownMs < 0) {
      throw new AppError(ErrorCode.ConfigInvalid, `circuit breaker cooldownMs must be ≥ 0, got ${options.cooldownMs}`);
    }
  }

  /** The state now: an open breaker whose cooldown has elapsed reads as half-open. */
  get state(): BreakerState {
    if (this.current === BreakerState.Open && this.options.now() - this.openedAt >= this.options.cooldownMs) {
      this.dispatch(BreakerEvent.CooldownElapsed);
    }
    return this.current;
  }

  /** Whether to call the ranker now. Half-open lets exactly one probe through until its outcome is reported. */
  canRun(): boolean {
    switch (this.state) {
      case BreakerState.Closed:
        return true;
      case BreakerState.Open:
        return false;
      case BreakerState.HalfOpen:
        if (this.probeInFlight) return false;
        this.probeInFlight = true;
        return true;
    }
  }

  onSuccess(): void {
    this.consecutiveFailures = 0;
    this.dispatch(BreakerEvent.Success);
  }

  onFailure(): void {
    this.consecutiveFailures += 1;
    this.dispatch(this.consecutiveFailures >= this.options.failureThreshold ? BreakerEvent.Trip : BreakerEvent.Failure);
  }

  /** No model is loaded: nothing to call, so open at once (the cooldown paces the re-checks). */
  onNoModel(): void {
    this.dispatch(BreakerEvent.Trip);
  }

  private dispatch(event: BreakerEvent): void {
    if (event !== BreakerEvent.CooldownElapsed) this.probeInFlight = false;
    const from = this.current;
    const to = nextBreakerState(from, event);
    if (to === BreakerState.Open && from !== BreakerState.Open) this.openedAt = this.options.now();
    if (to === BreakerState.Closed && from !== BreakerState.Closed) this.consecutiveFailures = 0;
    if (to === from) return;
    this.current = to;
    this.options.onStateChange?.(from, to, event);
  }
}
