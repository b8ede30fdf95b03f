import { describe, expect, it } from 'vitest';
import { NEUTRAL_EFFECTS, effectsFor, type PlantedEffects } from './planted-effects.js';
import { asUserId } from './types.js';

const effects: PlantedEffects = { lift: new Map([['treatment', 1.5]]), drop: new Map([['treatment', 0.3]]) };
const users = Array.from({ length: 5_000 }, (_, i) => asUserId(i + 1));
const brokenUsers = (seed: number, variant: string | null): Set<number> =>
  new Set(users.filter((user) => effectsFor(effects, seed, variant, user).suppressed));

describe('effectsFor', () => {
  it('lifts only the named variant and leaves answers outside experiments alone', () => {
    expect(effectsFor(effects, 1, 'treatment', asUserId(3)).lift).toBe(1.5);
    expect(effectsFor(effects, 1, 'control', asUserId(3))).toEqual(NEUTRAL_EFFECTS);
    expect(effectsFor(effects, 1, null, asUserId(3))).toEqual(NEUTRAL_EFFECTS);
  });

  it('breaks the client of about the given share of the variant’s users, the same users for a seed', () => {
    const broken = brokenUsers(42, 'treatment');
    expect(broken.size / users.length).toBeGreaterThan(0.27);
    expect(broken.size / users.length).toBeLessThan(0.33);
    expect(brokenUsers(42, 'treatment')).toEqual(broken);
    const other = brokenUsers(43, 'treatment');
    expect([...broken].filter((user) => other.has(user)).length).toBeLessThan(0.45 * broken.size);
    expect(brokenUsers(42, 'control').size).toBe(0);
  });
});
