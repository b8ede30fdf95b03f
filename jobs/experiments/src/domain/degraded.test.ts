import { describe, expect, it } from 'vitest';
import type { UserTotals } from './activity.js';
import { degradedShares } from './degraded.js';
import { DEFAULT_POLICY } from './policy.js';

const users = (count: number, degradedEvery: number): UserTotals[] =>
  Array.from({ length: count }, (_, index) => ({ requests: 4, exposures: 40, degradedRequests: index % degradedEvery === 0 ? 4 : 0, clicks: 0, downloads: 0, purchases: 0, revenue: 0 }));

describe('degraded share per variant', () => {
  it('flags a variant far above the others (every 3rd user degraded vs every 50th), not one a point above', () => {
    const far = degradedShares(new Map([['control', users(300, 50)], ['treatment', users(300, 3)]]), DEFAULT_POLICY);
    const treatment = far.find((entry) => entry.variant === 'treatment');
    // treatment: 100 of 300 users degrade all 4 answers → 400 / 1200; control 6 of 300 → 24 / 1200
    expect(treatment?.share).toBeCloseTo(1 / 3, 12);
    expect(treatment?.othersShare).toBeCloseTo(0.02, 12);
    expect(treatment?.excess).toBe(true);
    expect(far.find((entry) => entry.variant === 'control')?.excess).toBe(false);
    // every 25th vs every 50th: 4 % vs 2 %, 2 points apart — below the 5-point margin
    const near = degradedShares(new Map([['control', users(300, 50)], ['treatment', users(300, 25)]]), DEFAULT_POLICY);
    expect(near.every((entry) => !entry.excess)).toBe(true);
  });

  it('needs significance: a 5-point gap over a handful of users is not flagged', () => {
    const few = degradedShares(new Map([['control', users(10, 50)], ['treatment', users(10, 5)]]), DEFAULT_POLICY);
    expect(few.find((entry) => entry.variant === 'treatment')).toMatchObject({ excess: false });
  });
});
