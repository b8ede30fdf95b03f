import { describe, expect, it } from 'vitest';
import { BREAKER_TRANSITIONS, BreakerEvent, BreakerState, CircuitBreaker, nextBreakerState, type CircuitBreakerOptions } from './circuit-breaker.js';

function breaker(overrides: Partial<CircuitBreakerOptions> = {}): { breaker: CircuitBreaker; clock: { now: number }; changes: string[] } {
  const clock = { now: 1_000 };
  const changes: string[] = [];
  const instance = new CircuitBreaker({
    failureThreshold: 3,
    cooldownMs: 5_000,
    now: () => clock.now,
    onStateChange: (from, to, event) => changes.push(`${from}→${to} (${event})`),
    ...overrides,
  });
  return { breaker: instance, clock, changes };
}

function openBreaker(): ReturnType<typeof breaker> {
  const setup = breaker();
  setup.breaker.onNoModel();
  return setup;
}

describe('CircuitBreaker', () => {
  it('starts closed and runs', () => {
    const { breaker: b } = breaker();
    expect(b.state).toBe(BreakerState.Closed);
    expect(b.canRun()).toBe(true);
  });

  it('closed → closed: failures below the threshold keep it closed, and a success resets the count', () => {
    const { breaker: b, changes } = breaker();
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe(BreakerState.Closed);
    expect(b.canRun()).toBe(true);
    expect(changes).toEqual([]);
  });

  it('closed → open after N consecutive failures', () => {
    const { breaker: b, changes } = breaker();
    b.onFailure();
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe(BreakerState.Open);
    expect(b.canRun()).toBe(false);
    expect(changes).toEqual(['closed→open (trip)']);
  });

  it('closed → open at once when there is no model', () => {
    const { breaker: b, changes } = breaker();
    b.onNoModel();
    expect(b.state).toBe(BreakerState.Open);
    expect(changes).toEqual(['closed→open (trip)']);
  });

  it('open stays open until the cooldown has elapsed, then open → half_open', () => {
    const { breaker: b, clock, changes } = openBreaker();
    clock.now += 4_999;
    expect(b.canRun()).toBe(false);
    b.onNoModel();
    expect(b.state).toBe(BreakerState.Open);
    clock.now += 1;
    expect(b.state).toBe(BreakerState.HalfOpen);
    expect(changes).toEqual(['closed→open (trip)', 'open→half_open (cooldown_elapsed)']);
  });

  it('a late success while open does not close it', () => {
    const { breaker: b } = openBreaker();
    b.onSuccess();
    expect(b.state).toBe(BreakerState.Open);
  });

  it('half_open lets one probe through at a time', () => {
    const { breaker: b, clock } = openBreaker();
    clock.now += 5_000;
    expect(b.canRun()).toBe(true);
    expect(b.canRun()).toBe(false);
  });

  it('half_open → closed on success, with the failure count reset', () => {
    const { breaker: b, clock, changes } = openBreaker();
    clock.now += 5_000;
    expect(b.canRun()).toBe(true);
    b.onSuccess();
    expect(b.state).toBe(BreakerState.Closed);
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe(BreakerState.Closed);
    expect(changes.at(-1)).toBe('half_open→closed (success)');
  });

  it('half_open → open on failure (one is enough), and the cooldown starts again', () => {
    const { breaker: b, clock, changes } = openBreaker();
    clock.now += 5_000;
    expect(b.canRun()).toBe(true);
    b.onFailure();
    expect(b.state).toBe(BreakerState.Open);
    expect(changes.at(-1)).toBe('half_open→open (failure)');
    clock.now += 4_999;
    expect(b.state).toBe(BreakerState.Open);
    clock.now += 1;
    expect(b.state).toBe(BreakerState.HalfOpen);
  });

  it('half_open → open when there is still no model', () => {
    const { breaker: b, clock } = openBreaker();
    clock.now += 5_000;
    expect(b.state).toBe(BreakerState.HalfOpen);
    b.onNoModel();
    expect(b.state).toBe(BreakerState.Open);
  });

  it('refuses invalid options with a config error', () => {
    expect(() => breaker({ failureThreshold: 0 })).toThrow(expect.objectContaining({ code: 'REC_CONFIG_INVALID' }) as Error);
    expect(() => breaker({ cooldownMs: -1 })).toThrow(expect.objectContaining({ code: 'REC_CONFIG_INVALID' }) as Error);
  });

  it('the transition table leaves a state unchanged for events it does not list', () => {
    for (const state of Object.values(BreakerState)) {
      for (const event of Object.values(BreakerEvent)) {
        expect(nextBreakerState(state, event)).toBe(BREAKER_TRANSITIONS[state][event] ?? state);
      }
    }
    expect(nextBreakerState(BreakerState.Closed, BreakerEvent.Failure)).toBe(BreakerState.Closed);
    expect(nextBreakerState(BreakerState.Open, BreakerEvent.Trip)).toBe(BreakerState.Open);
  });
});
