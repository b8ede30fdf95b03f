import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { seededRandom } from '../testing/random.js';
import { DEFAULT_DECAY_EPOCH_MS, checkedDecayHorizonMs, decayHorizonMs, decayedValue, forwardDecayFactor, forwardDecayedIncrement, rebaseForwardDecayed, type ForwardDecay } from './forward-decay.js';

const DAY = 86_400_000;
const decay: ForwardDecay = { halfLifeMs: 7 * DAY, epochMs: DEFAULT_DECAY_EPOCH_MS };
const relative = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

describe('forward decay', () => {
  it('an increment is worth half after one half-life and a quarter after two', () => {
    const t = Date.UTC(2026, 10, 1);
    const raw = forwardDecayedIncrement(4, t, decay);
    expect(decayedValue(raw, t, decay)).toBeCloseTo(4, 12);
    expect(decayedValue(raw, t + 7 * DAY, decay)).toBeCloseTo(2, 12);
    expect(decayedValue(raw, t + 14 * DAY, decay)).toBeCloseTo(1, 12);
  });

  it('a forward-decayed sum equals the naively decayed sum within 1e-9 relative', () => {
    const random = seededRandom(7);
    const now = Date.UTC(2026, 10, 25, 12);
    const events = Array.from({ length: 2_000 }, () => ({ weight: 1 + Math.floor(random() * 10), time: now - Math.floor(random() * 120 * DAY) }));
    let raw = 0;
    let naive = 0;
    for (const event of events) {
      raw += forwardDecayedIncrement(event.weight, event.time, decay);
      naive += event.weight * Math.pow(0.5, (now - event.time) / decay.halfLifeMs);
    }
    expect(relative(decayedValue(raw, now, decay), naive)).toBeLessThan(1e-9);
  });

  it('rebasing t0 keeps every decayed value within 1e-9 relative', () => {
    const t = Date.UTC(2026, 6, 1);
    const raw = forwardDecayedIncrement(3, t, decay) + forwardDecayedIncrement(5, t + 3 * DAY, decay);
    const newEpochMs = Date.UTC(2027, 0, 1);
    const rebased = rebaseForwardDecayed(raw, decay, newEpochMs);
    const now = Date.UTC(2027, 1, 1);
    expect(relative(decayedValue(rebased, now, { ...decay, epochMs: newEpochMs }), decayedValue(raw, now, decay))).toBeLessThan(1e-9);
  });

  it('refuses, as a retriable configuration error, an event past the overflow horizon of t0', () => {
    const horizon = decayHorizonMs(decay);
    expect(Number.isFinite(forwardDecayFactor(horizon, decay))).toBe(true);
    expect(horizon - decay.epochMs).toBeGreaterThan(15 * 365 * DAY); // 7-day half-life: ~18 years of headroom
    let caught: unknown;
    try {
      forwardDecayFactor(horizon + DAY, decay);
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, ErrorCode.ConfigInvalid)).toBe(true);
    expect(isAppError(caught) && caught.retriable).toBe(true);
  });
});

describe('checkedDecayHorizonMs', () => {
  it('returns the earliest horizon, and refuses when it is closer than the margin', () => {
    const fast = { epochMs: 0, halfLifeMs: 3 * 86_400_000 };
    const slow = { epochMs: 0, halfLifeMs: 30 * 86_400_000 };
    const horizon = checkedDecayHorizonMs([slow, fast], 0, 86_400_000);
    expect(horizon).toBe(decayHorizonMs(fast));
    expect(() => checkedDecayHorizonMs([slow, fast], horizon - 1_000, 86_400_000)).toThrow(/too close: rebase/);
  });
});
