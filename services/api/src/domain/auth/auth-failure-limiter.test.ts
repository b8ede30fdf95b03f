import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter } from './auth-failure-limiter.js';

describe('AuthFailureLimiter', () => {
  it('refuses a client after max failures until its window ends, and only that client', () => {
    const limiter = new AuthFailureLimiter({ max: 3, windowSeconds: 60 });
    for (let failure = 0; failure < 3; failure += 1) {
      expect(limiter.retryAfterMs('a', 1_000 + failure)).toBe(0);
      limiter.recordFailure('a', 1_000 + failure);
    }
    expect(limiter.retryAfterMs('a', 2_000)).toBe(59_000);
    expect(limiter.retryAfterMs('b', 2_000)).toBe(0);
    expect(limiter.retryAfterMs('a', 60_999)).toBe(1);
    expect(limiter.retryAfterMs('a', 61_000)).toBe(0);
    limiter.recordFailure('a', 61_000);
    expect(limiter.retryAfterMs('a', 61_001)).toBe(0);
  });

  it('keeps at most maxClients windows: expired ones go first, then the oldest', () => {
    const limiter = new AuthFailureLimiter({ max: 1, windowSeconds: 10 }, 3);
    limiter.recordFailure('old', 0);
    limiter.recordFailure('a', 20_000);
    limiter.recordFailure('b', 20_001);
    limiter.recordFailure('c', 20_002);
    expect(limiter.size()).toBe(3);
    expect(limiter.retryAfterMs('a', 20_003)).toBeGreaterThan(0);
    limiter.recordFailure('d', 20_004);
    expect(limiter.size()).toBe(3);
    expect(limiter.retryAfterMs('a', 20_005)).toBe(0);
    expect(limiter.retryAfterMs('d', 20_005)).toBeGreaterThan(0);
  });
});
